# Empty dependencies file for lss_header_check.
# This may be replaced when dependencies are built.
