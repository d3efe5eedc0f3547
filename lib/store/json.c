/* The canonical JSON of an event (docs/events.md): the export writes it,
 * and so does the change feed. */
#include "core/enums.h"
#include "store/store.h"

#include <stdio.h>

static void put_n(lss__json *o, const char *s, size_t n)
{
    if (o->nomem || lss__bytes_reserve(&o->data, &o->cap, o->len, n + 1, 4096) != LSS_OK) {
        o->nomem = true;
        return;
    }
    memcpy(o->data + o->len, s, n);
    o->len += n;
    o->data[o->len] = '\0';
}

static void put_s(lss__json *o, const char *s) { put_n(o, s, strlen(s)); }

static void put_json_string(lss__json *o, const char *s)
{
    char buf[512];
    size_t n = 0;
    buf[n++] = '"';
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (n + 8 > sizeof buf) {
            put_n(o, buf, n);
            n = 0;
        }
        if (*c == '"' || *c == '\\') {
            buf[n++] = '\\';
            buf[n++] = (char)*c;
        } else if (*c < 0x20 || *c == 0x7F) {
            n += (size_t)snprintf(buf + n, sizeof buf - n, "\\u%04x", *c);
        } else {
            buf[n++] = (char)*c;
        }
    }
    buf[n++] = '"';
    put_n(o, buf, n);
}

static void put_key(lss__json *o, const char *name)
{
    put_s(o, ",\"");
    put_s(o, name);
    put_s(o, "\":");
}

static void put_time(lss__json *o, lss_time t)
{
    char b[LSS_TIME_BUFSIZE];
    lss__fmt_time(b, t);
    put_json_string(o, b);
}

void lss__json_config(lss__json *o, lss_time at, const char *currency, const char *pipeline)
{
    put_s(o, "{\"type\":\"db.config\",\"at\":");
    put_time(o, at);
    put_s(o, ",\"currency\":\"");
    put_s(o, currency);
    put_s(o, "\",\"pipeline\":\"");
    put_s(o, pipeline);
    put_s(o, "\"}\n");
}

/* The text of calendar.set's hours ("mon 09:00-17:00;...") or holidays
 * ("2025-12-25;...") as the event format's array. */
static void put_calendar_texts(lss__json *o, const char *s, bool hours)
{
    put_s(o, "[");
    for (bool first = true; *s; first = false) {
        const char *e = strchr(s, ';');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        char item[64];
        if (hours && len == 15)
            snprintf(item, sizeof item, "{\"day\":\"%.3s\",\"from\":\"%.5s\",\"to\":\"%.5s\"}", s, s + 4, s + 10);
        else
            snprintf(item, sizeof item, "\"%.*s\"", (int)(len < 40 ? len : 40), s);
        if (!first)
            put_s(o, ",");
        put_s(o, item);
        s += len + (e != NULL);
    }
    put_s(o, "]");
}

void lss__json_event(lss__json *o, const lss__event *ev)
{
    const lss__ev_desc *t = &lss__ev_descs[ev->kind];
    put_s(o, "{\"type\":\"");
    put_s(o, t->name);
    put_s(o, "\",\"at\":");
    put_time(o, ev->at);
    for (unsigned k = 0; k < t->nf; k++) {
        const lss__field *f = &t->f[k];
        char b[LSS_MONEY_BUFSIZE];
        if (lss__field_is_text(f->type)) {
            if (ev->s[f->slot] == NULL)
                continue;
            put_key(o, f->name);
            if (f->type == LSS__F_HOURS || f->type == LSS__F_DATES)
                put_calendar_texts(o, ev->s[f->slot], f->type == LSS__F_HOURS);
            else
                put_json_string(o, ev->s[f->slot]);
            continue;
        }
        int64_t v = ev->i[f->slot];
        if (!f->required && v == f->absent)
            continue;
        put_key(o, f->name);
        switch (f->type) {
        case LSS__F_TIME:
            put_time(o, v);
            break;
        case LSS__F_MONEY:
            lss_money_format(b, sizeof b, v);
            put_json_string(o, b);
            break;
        case LSS__F_ENUM:
            put_json_string(o, lss__enum_spell((lss__enum_id)f->spelling, (int)v));
            break;
        default:
            snprintf(b, sizeof b, "%lld", (long long)v);
            put_s(o, b);
            break;
        }
    }
    put_s(o, "}\n");
}
