# bash completion for lss, the command-line tool of libsalesservice.
# Commands and fixed values are listed here; each command's options are read
# from `lss help COMMAND` when asked for, so they are always the tool's own.
_lss()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local commands="demo generate import export report check checkpoint follow list stats dashboard publish replicate help"
    COMPREPLY=()
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi
    local command=${COMP_WORDS[1]} values=
    case $prev in
        --format) values="text json csv" ;;
        --order) values="customer time" ;;
        --by) values="day week month quarter" ;;
        --sync) values="full normal off" ;;
        --channel) values="phone email chat in_person web social" ;;
        --priority) values="low normal high urgent" ;;
        --source) values="web referral event outbound partner other" ;;
        -o) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    esac
    if [ -n "$values" ]; then
        COMPREPLY=($(compgen -W "$values" -- "$cur"))
        return
    fi
    if [ "$command" = help ]; then
        [ "$COMP_CWORD" -eq 2 ] && COMPREPLY=($(compgen -W "${commands% help}" -- "$cur"))
        return
    fi
    if [ "$command" = list ] && [ "$COMP_CWORD" -eq 2 ]; then
        COMPREPLY=($(compgen -W "deals tickets customers tasks" -- "$cur"))
        return
    fi
    if [[ $cur == -* ]]; then
        local options
        options=$("${COMP_WORDS[0]}" help "$command" 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u)
        COMPREPLY=($(compgen -W "$options --help" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _lss lss
