/*
 * render_xml.c - XML escaping shared by the JUnit and Checkstyle renderers.
 *
 * Input files are hostile: their text ends up in messages and source
 * snippets, so the output must stay well-formed XML 1.0 whatever they
 * hold.  Markup characters become entities; characters XML 1.0 forbids
 * (C0 controls other than tab, newline and carriage return, U+FFFE,
 * U+FFFF) and invalid UTF-8 bytes become U+FFFD.  Carriage returns and
 * newlines are written as character references so attribute values keep
 * them (an attribute value's literal newline is normalised to a space).
 */
#include "report/render.h"
#include "util/utf8.h"

#include <string.h>

#define REPLACEMENT "\xef\xbf\xbd"

void xml_escape(FILE *out, const char *s)
{
    if (!s)
        return;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            switch (c) {
            case '&': fputs("&amp;", out); break;
            case '<': fputs("&lt;", out); break;
            case '>': fputs("&gt;", out); break;
            case '"': fputs("&quot;", out); break;
            case '\'': fputs("&apos;", out); break;
            case '\t': fputs("&#9;", out); break;
            case '\n': fputs("&#10;", out); break;
            case '\r': fputs("&#13;", out); break;
            default:
                if (c < 0x20 || c == 0x7f)
                    fputs(REPLACEMENT, out);
                else
                    fputc(c, out);
            }
            i++;
            continue;
        }
        size_t l = utf8_valid_seq(s + i, n - i);
        if (!l) {
            fputs(REPLACEMENT, out);
            i++;
            continue;
        }
        /* U+FFFE and U+FFFF are not XML characters */
        if (l == 3 && c == 0xef && (unsigned char)s[i + 1] == 0xbf &&
            ((unsigned char)s[i + 2] == 0xbe || (unsigned char)s[i + 2] == 0xbf))
            fputs(REPLACEMENT, out);
        else
            fwrite(s + i, 1, l, out);
        i += l;
    }
}
