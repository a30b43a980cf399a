/*
 * props_dialect.h - the dialects of a Java .properties file (a broker's
 * server.properties, a producer or consumer, Kafka 0.8's Scala clients,
 * files kafkaudit knows not to audit ...): one row each in
 * props_dialects[] (properties.c), tried in order on every file that is
 * not a Spring Boot application*.properties.
 */
#ifndef KA_PROPS_DIALECT_H
#define KA_PROPS_DIALECT_H

#include "model/model.h"
#include "syntax/props.h"

/* The role a file plays: from its directive, else its keys and name. */
enum prole { PR_UNKNOWN, PR_BROKER, PR_PRODUCER, PR_CONSUMER };

/* "# kafkaudit: role=producer name=orders client=... topics=... group=...
 * broker=1" */
struct directive {
    enum prole role;
    const char *name, *client, *topics, *group;
    int64_t broker;
    bool has_broker;
    uint32_t line, col;
    uint32_t client_col, topics_col, group_col;
};

/* One .properties file being read. */
struct pfile {
    struct model *m;
    uint32_t file;
    const struct src_file *f;
    const struct props *p;     /* its keys, in file order */
    const struct directive *d; /* role 0 when it has none */
    struct loc first;          /* the directive, else the first key */
    bool explicit_path;        /* named on the command line */
    enum prole role;           /* the directive's, else guessed */
    uint32_t nkafka;           /* keys some Kafka broker, topic or client knows */
};

struct props_dialect {
    const char *name;
    /* Why the file is of this dialect, or NULL. */
    const char *(*detect)(const struct pfile *pf);
    /* Reads it into pf->m (or says why it is not audited); why: detect's. */
    void (*read)(const struct pfile *pf, const char *why);
};

#endif
