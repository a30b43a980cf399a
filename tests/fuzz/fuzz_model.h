/*
 * fuzz_model.h - what the rule and expression targets evaluate against: a
 * small deployment of every kind of object, and the shipped rules.
 */
#ifndef KA_FUZZ_MODEL_H
#define KA_FUZZ_MODEL_H

#include "fuzz_util.h"
#include "input/input.h"
#include "model/model.h"
#include "rules/finding.h"
#include "report/render.h"
#include "rules/rule.h"

static const char fuzz_manifest_text[] =
    "kafkaudit: 1\n"
    "cluster:\n"
    "  name: c\n"
    "  kafka_version: \"3.7\"\n"
    "  brokers:\n"
    "    - {id: 1, rack: a, config: {min.insync.replicas: 1}}\n"
    "    - {id: 2, rack: b}\n"
    "    - {id: 3}\n"
    "  config: {default.replication.factor: 3, unclean.leader.election.enable: true}\n"
    "topics:\n"
    "  orders: {partitions: 3, replication_factor: 3, config: {min.insync.replicas: 2}}\n"
    "  audit: {partitions: 1, replication_factor: 1}\n"
    "producers:\n"
    "  p: {client: java 3.6, topics: [orders], config: {acks: 1, ssl.key.password: s3cret}}\n"
    "  q: {client: librdkafka 2.3, topics: [audit]}\n"
    "consumers:\n"
    "  c: {client: java 3.7, group: g, topics: [orders], config: {enable.auto.commit: true}}\n"
    "groups:\n"
    "  g:\n"
    "    offsets:\n"
    "      orders: {0: 5, 1: 7}\n";

/* The deployment, built once. */
static inline struct model *fuzz_model(void)
{
    static struct model m;
    static int ready;
    if (!ready) {
        model_init(&m);
        size_t n = sizeof fuzz_manifest_text - 1;
        char *copy = malloc(n + 1);
        memcpy(copy, fuzz_manifest_text, n + 1);
        uint32_t id = source_set_add(&m.sources, "deployment.yaml", copy, n);
        input_load_source(&m, id, DL_MANIFEST);
        model_finalize(&m);
        ready = 1;
    }
    return &m;
}

/* Render findings and diagnostics in every format, to nowhere: the
 * renderers quote source lines, hide secrets, escape text. */
static inline void fuzz_render(const struct model *m, const struct finding_list *fl,
                               const struct rule_set *rs)
{
    static FILE *null;
    if (!null)
        null = fopen("/dev/null", "w");
    struct render_ctx c;
    memset(&c, 0, sizeof c);
    c.m = m;
    c.findings = fl;
    c.input_diags = &m->diags;
    c.rules = rs;
    c.show_source = true;
    c.show_suppressed = true;
    c.tool_version = "fuzz";
    c.command = "lint";
    c.nfiles = 1;
    for (int f = 0; out_formats[f]; f++)
        render(out_formats[f], null, &c);
    render_diags_text(null, &m->sources, &m->diags, false, m);
    fflush(null);
}

#endif
