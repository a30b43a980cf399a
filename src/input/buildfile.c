/*
 * buildfile.c - the kafka-clients version a Spring Boot application runs
 * with, from the Maven or Gradle build beside it.
 *
 * Spring Boot manages kafka-clients (its dependency management,
 * spring-boot-dependencies, property "kafka.version"), so the Boot
 * version of the build implies the client version unless the build
 * overrides it.  In order:
 *   1. an explicit kafka-clients version: Maven <kafka.version> property
 *      or a kafka-clients <dependency> with a <version>; Gradle
 *      ext['kafka.version'] / set("kafka.version", ...) or
 *      "org.apache.kafka:kafka-clients:X";
 *   2. the Spring Boot version: Maven spring-boot-starter-parent (or the
 *      spring-boot-dependencies BOM, or a <spring-boot.version> property);
 *      Gradle plugin id 'org.springframework.boot' version 'X'.
 * The build file is looked for in the application file's directory and
 * up to six directories above it (src/main/resources is three below the
 * module's root).
 *
 * Spring Boot line -> Kafka client line it manages: the <kafka.version>
 * property of spring-boot-dependencies-X.Y.Z.pom on Maven Central
 * (https://repo1.maven.org/maven2/org/springframework/boot/
 * spring-boot-dependencies/), read for the first and the last release of
 * each line; it is generated from the "Kafka" library of
 * spring-boot-project/spring-boot-dependencies/build.gradle.  Only the
 * minor line is claimed, with the lowest version the line's first
 * release managed as "at least".
 */
#include "input/input.h"
#include "util/buf.h"
#include "util/strutil.h"
#include "syntax/yload.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const struct {
    const char *boot, *kafka;
} boot_kafka[] = {
    /* 2.0.0 and 2.0.1 did not manage kafka.version: spring-kafka 2.1.x
     * brought kafka-clients 1.0.0; 2.0.2 to 2.0.9 managed 1.0.1-1.0.2 */
    {"2.0", "1.0.0"}, /* 2.0.9.RELEASE: 1.0.2 */
    {"2.1", "2.0.0"}, /* 2.1.0.RELEASE: 2.0.0;  2.1.18.RELEASE: 2.0.1 */
    {"2.2", "2.3.0"}, /* 2.2.0.RELEASE: 2.3.0;  2.2.13.RELEASE: 2.3.1 */
    {"2.3", "2.5.0"}, /* 2.3.0.RELEASE: 2.5.0;  2.3.12.RELEASE: 2.5.1 */
    {"2.4", "2.6.0"}, /* 2.4.0: 2.6.0;  2.4.13: 2.6.3 */
    {"2.5", "2.7.1"}, /* 2.5.0: 2.7.1;  2.5.15: 2.7.2 */
    /* 2.6.0 managed 3.0.0, which (like 3.1.0) ignores the default
     * enable.idempotence=true (KAFKA-13598); 2.7.0 already 3.1.1 */
    {"2.6", "3.0.0"}, /* 2.6.0: 3.0.0;  2.6.15: 3.0.2 */
    {"2.7", "3.1.1"}, /* 2.7.0: 3.1.1;  2.7.18: 3.1.2 */
    {"3.0", "3.3.1"}, /* 3.0.0: 3.3.1;  3.0.13: 3.3.2 */
    {"3.1", "3.4.0"}, /* 3.1.0: 3.4.0;  3.1.12: 3.4.1 */
    {"3.2", "3.6.0"}, /* 3.2.0: 3.6.0;  3.2.12: 3.6.2 */
    {"3.3", "3.7.0"}, /* 3.3.0: 3.7.0;  3.3.13: 3.7.2 */
    {"3.4", "3.8.1"}, /* 3.4.0: 3.8.1;  3.4.13: 3.8.1 */
    {"3.5", "3.9.1"}, /* 3.5.0: 3.9.1;  3.5.16: 3.9.2 */
    {"4.0", "4.1.1"}, /* 4.0.0: 4.1.1;  4.0.10: 4.1.2 */
    {"4.1", "4.2.1"}, /* 4.1.0: 4.2.1;  4.1.3: 4.2.2 */
    {"4.2", "4.4.0"}, /* 4.2.0: 4.4.0 */
};

static bool boot_to_kafka(struct version boot, struct version *out)
{
    for (size_t i = 0; i < sizeof boot_kafka / sizeof *boot_kafka; i++) {
        struct version b;
        version_parse(boot_kafka[i].boot, &b);
        if (b.major == boot.major && b.minor == boot.minor)
            return version_parse(boot_kafka[i].kafka, out) == 0;
    }
    return false;
}

static uint32_t line_of(const char *text, const char *at)
{
    uint32_t l = 1;
    for (const char *p = text; p < at; p++)
        l += *p == '\n';
    return l;
}

/* The text of <tag>...</tag> starting at or after from and before limit
 * (NULL: anywhere), into out. */
static const char *xml_value(const char *from, const char *limit, const char *tag, char *out,
                             size_t n)
{
    char open[64], close[64];
    snprintf(open, sizeof open, "<%s>", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    const char *o = strstr(from, open);
    if (!o || (limit && o > limit))
        return NULL;
    const char *v = o + strlen(open);
    const char *c = strstr(v, close);
    if (!c || (size_t)(c - v) >= n)
        return NULL;
    while (v < c && isspace((unsigned char)*v))
        v++;
    size_t l = (size_t)(c - v);
    while (l && isspace((unsigned char)v[l - 1]))
        l--;
    memcpy(out, v, l);
    out[l] = '\0';
    return v;
}

/* A version in a build file: digits and dots first, no placeholder. */
static bool usable(const char *s, struct version *v)
{
    return isdigit((unsigned char)s[0]) && !str_placeholder(s, NULL) && version_parse(s, v) == 0;
}

struct found {
    struct version v;    /* kafka-clients */
    struct version boot; /* when implied by Spring Boot */
    bool from_boot;
    uint32_t line;
};

static bool scan_pom(const char *t, struct found *f)
{
    char val[64];
    const char *at;
    if ((at = xml_value(t, NULL, "kafka.version", val, sizeof val)) && usable(val, &f->v)) {
        f->line = line_of(t, at);
        return true;
    }
    const char *dep = strstr(t, "<artifactId>kafka-clients</artifactId>");
    if (dep) {
        const char *end = strstr(dep, "</dependency>");
        if ((at = xml_value(dep, end, "version", val, sizeof val)) && usable(val, &f->v)) {
            f->line = line_of(t, at);
            return true;
        }
    }
    static const char *const boms[] = {"<artifactId>spring-boot-starter-parent</artifactId>",
                                       "<artifactId>spring-boot-dependencies</artifactId>", NULL};
    for (int i = 0; boms[i]; i++) {
        const char *a = strstr(t, boms[i]);
        if (!a)
            continue;
        /* the version of the same <parent> or <dependency> block, which
         * may come before the artifactId */
        const char *start = a;
        while (start > t && strncmp(start, "<parent>", 8) != 0 &&
               strncmp(start, "<dependency>", 12) != 0)
            start--;
        const char *end =
            strstr(a, strncmp(start, "<parent>", 8) == 0 ? "</parent>" : "</dependency>");
        if ((at = xml_value(start, end, "version", val, sizeof val)) && usable(val, &f->boot) &&
            boot_to_kafka(f->boot, &f->v)) {
            f->from_boot = true;
            f->line = line_of(t, at);
            return true;
        }
    }
    if ((at = xml_value(t, NULL, "spring-boot.version", val, sizeof val)) &&
        usable(val, &f->boot) && boot_to_kafka(f->boot, &f->v)) {
        f->from_boot = true;
        f->line = line_of(t, at);
        return true;
    }
    return false;
}

/* The first quoted version after p on its line. */
static const char *quoted_version(const char *p, char *out, size_t n)
{
    const char *eol = strchr(p, '\n');
    if (!eol)
        eol = p + strlen(p);
    for (const char *q = p; q < eol; q++) {
        if (*q != '\'' && *q != '"')
            continue;
        const char *e = memchr(q + 1, *q, (size_t)(eol - q - 1));
        if (!e)
            return NULL;
        size_t l = (size_t)(e - q - 1);
        if (l && l < n && isdigit((unsigned char)q[1])) {
            memcpy(out, q + 1, l);
            out[l] = '\0';
            return q + 1;
        }
        q = e;
    }
    return NULL;
}

static bool scan_gradle(const char *t, struct found *f)
{
    char val[64];
    const char *at, *p;
    for (p = strstr(t, "kafka.version"); p; p = strstr(p + 1, "kafka.version"))
        if ((at = quoted_version(p + 13, val, sizeof val)) && usable(val, &f->v)) {
            f->line = line_of(t, at);
            return true;
        }
    if ((p = strstr(t, "org.apache.kafka:kafka-clients:"))) {
        const char *v = p + strlen("org.apache.kafka:kafka-clients:");
        size_t l = strspn(v, "0123456789.");
        if (l && l < sizeof val) {
            memcpy(val, v, l);
            val[l] = '\0';
            if (usable(val, &f->v)) {
                f->line = line_of(t, v);
                return true;
            }
        }
    }
    for (p = strstr(t, "org.springframework.boot"); p;
         p = strstr(p + 1, "org.springframework.boot")) {
        const char *eol = strchr(p, '\n');
        const char *ver = strstr(p, "version");
        if (!ver || (eol && ver > eol))
            continue;
        if ((at = quoted_version(ver, val, sizeof val)) && usable(val, &f->boot) &&
            boot_to_kafka(f->boot, &f->v)) {
            f->from_boot = true;
            f->line = line_of(t, at);
            return true;
        }
    }
    return false;
}

bool spring_build_client_version(struct model *m, const char *app_path, struct version *v,
                                 struct loc *where, const char **note)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", app_path);
    static const char *const names[] = {"pom.xml", "build.gradle", "build.gradle.kts", NULL};
    for (int up = 0; up <= 6; up++) {
        char *slash = strrchr(dir, '/');
        if (slash)
            *slash = '\0';
        else if (strcmp(dir, ".") != 0)
            snprintf(dir, sizeof dir, ".");
        else
            return false;
        for (int i = 0; names[i]; i++) {
            char path[4200];
            snprintf(path, sizeof path, "%s/%s", dir, names[i]);
            struct stat st;
            if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (4 << 20))
                continue;
            struct buf b;
            if (source_fetch(path, DK_INPUT, &b) != 0)
                continue;
            struct found f = {{0}, {0}, false, 0};
            bool ok = i == 0 ? scan_pom(buf_str(&b), &f) : scan_gradle(buf_str(&b), &f);
            if (!ok) {
                buf_release(&b);
                continue;
            }
            /* the build file joins the sources, so the version points at it */
            uint32_t id = 0;
            for (uint32_t s = 1; s <= m->sources.n && !id; s++)
                if (strcmp(source_path(&m->sources, s), path) == 0)
                    id = s;
            if (!id) {
                size_t len = b.len;
                id = source_set_add(&m->sources, path, buf_detach(&b), len);
            } else
                buf_release(&b);
            *v = f.v;
            *where = (struct loc){id, f.line, 1};
            char kv[32], bv[32];
            version_fmt(f.v, kv, sizeof kv);
            version_fmt(f.boot, bv, sizeof bv);
            *note = f.from_boot
                        ? arena_printf(&m->arena,
                                       "kafka-clients %u.%u.x (at least %s) managed by Spring "
                                       "Boot %s (%s:%u)",
                                       f.v.major, f.v.minor, kv, bv, path, f.line)
                        : arena_printf(&m->arena, "kafka-clients %s (%s:%u)", kv, path, f.line);
            return true;
        }
        if (!slash)
            return false;
    }
    return false;
}
