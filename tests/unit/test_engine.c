/* The rule engine: anchoring, merging, fingerprints, builtin checks, and
 * the shipped rule set on small deployments. */
#include "testutil.h"

#include <string.h>

#include "input/input.h"

static struct rule_set RS;

static void lint(const char *yaml, struct finding_list *fl, struct model *m)
{
    tu_lint(&RS, yaml, fl, m);
}

static void test_inherited_value_is_one_finding_on_the_cluster_line(void **state)
{
    (void)state;
    struct model m;
    struct finding_list fl;
    lint("cluster:\n  config:\n    min.insync.replicas: 1\n"
         "topics: {a: {replication_factor: 3}, b: {replication_factor: 3}, c: {replication_factor: "
         "3}}\n"
         "producers: {p: {client: java 3.6, topics: [a, b, c]}}\n",
         &fl, &m);
    assert_int_equal(tu_count(&fl, "KA409"), 1);
    const struct finding *f = tu_find(&fl, "KA501");
    assert_non_null(f);
    assert_int_equal(tu_count(&fl, "KA501"), 1);
    assert_int_equal(f->loc.line, 3);
    assert_int_equal(f->anchor->kind, OBJ_CLUSTER);
    assert_int_equal(f->nrelated, 2); /* topics b and c */
    finding_list_release(&fl);
    model_release(&m);
}

static void test_fingerprint_ignores_line_numbers(void **state)
{
    (void)state;
    struct model m1, m2;
    struct finding_list f1, f2;
    lint("producers: {p: {client: java 3.6, config: {acks: 1}}}\n", &f1, &m1);
    lint("# a comment\n\n\nproducers:\n  p:\n    client: java 3.6\n    config: {acks: 1}\n", &f2,
         &m2);
    const struct finding *a = tu_find(&f1, "KA101"), *b = tu_find(&f2, "KA101");
    assert_non_null(a);
    assert_non_null(b);
    assert_int_not_equal(a->loc.line, b->loc.line);
    assert_true(a->fingerprint == b->fingerprint);
    finding_list_release(&f1);
    finding_list_release(&f2);
    model_release(&m1);
    model_release(&m2);
}

static void test_brokers_agreeing_collapse_disagreeing_do_not(void **state)
{
    (void)state;
    struct model m;
    struct finding_list fl;
    lint("cluster: {brokers: [{id: 1}, {id: 2}, {id: 3}], config: {unclean.leader.election.enable: "
         "true}}\n",
         &fl, &m);
    assert_int_equal(tu_count(&fl, "KA401"), 1);
    assert_int_equal(tu_find(&fl, "KA401")->obj->kind, OBJ_CLUSTER);
    finding_list_release(&fl);
    model_release(&m);

    lint("cluster:\n  brokers:\n    - {id: 1, config: {unclean.leader.election.enable: true}}\n"
         "    - {id: 2, config: {unclean.leader.election.enable: true}}\n    - {id: 3}\n",
         &fl, &m);
    assert_int_equal(tu_count(&fl, "KA401"), 2);
    assert_int_equal(tu_count(&fl, "KA412"), 1);
    finding_list_release(&fl);
    model_release(&m);
}

static void test_builtin_checks(void **state)
{
    (void)state;
    struct model m;
    struct finding_list fl;
    lint("producers:\n  p:\n    client: java 3.6\n    config:\n"
         "      ack: all\n      min.insync.replicas: 2\n      frobnicate: 1\n"
         "      linger.ms: soon\n      schema.registry.url: http://x\n",
         &fl, &m);
    const struct finding *f = tu_find(&fl, "KA001");
    assert_non_null(f);
    assert_int_equal(tu_count(&fl, "KA001"), 2); /* ack (typo), min.insync.replicas (misplaced) */
    assert_int_equal(tu_count(&fl, "KA002"), 1); /* frobnicate */
    assert_int_equal(tu_count(&fl, "KA003"), 1); /* linger.ms: soon */
    for (uint32_t i = 0; i < fl.n; i++)
        if (strcmp(fl.v[i].rule->id, "KA001") == 0 && fl.v[i].loc.line == 5)
            assert_non_null(strstr(fl.v[i].message, "did you mean 'acks'"));
    finding_list_release(&fl);
    model_release(&m);
}

static void test_removed_key_has_no_effect(void **state)
{
    (void)state;
    struct model m;
    struct finding_list fl;
    /* host.name and port went with Kafka 3.0 (KAFKA-12945) */
    lint("cluster: {kafka_version: '3.7', config: {host.name: kafka1, port: 9092}}\n", &fl, &m);
    assert_int_equal(tu_count(&fl, "KA002"), 2);
    assert_non_null(strstr(tu_find(&fl, "KA002")->message, "removed in Kafka 3.0"));
    finding_list_release(&fl);
    model_release(&m);
    lint("cluster: {kafka_version: '2.8', config: {host.name: kafka1, port: 9092}}\n", &fl, &m);
    assert_int_equal(tu_count(&fl, "KA002"), 0);
    assert_int_equal(tu_count(&fl, "KA001"), 0);
    finding_list_release(&fl);
    model_release(&m);
}

static void test_no_cluster_no_broker_findings(void **state)
{
    (void)state;
    struct model m;
    struct finding_list fl;
    lint("topics: {orders: {partitions: 3, replication_factor: 3}}\n"
         "producers: {p: {client: java 3.7, topics: [orders]}}\n",
         &fl, &m);
    assert_int_equal(tu_count(&fl, NULL), 0);
    finding_list_release(&fl);
    model_release(&m);
}

static void test_properties_role_and_client_detection(void **state)
{
    (void)state;
    struct model m;
    model_init(&m);
    tu_model_add(&m, "app.properties", "group.id=g\nenable.auto.offset.store=true\n");
    tu_model_add(&m, "server.properties", "node.id=4\nbroker.rack=r1\n");
    tu_model_add(&m, "mystery.properties", "foo=bar\n");
    model_finalize(&m);
    assert_int_equal(m.nconsumers, 1);
    assert_int_equal(m.consumers[0]->ckind, CK_LIBRDKAFKA);
    assert_int_equal(m.nbrokers, 1);
    assert_int_equal(m.brokers[0]->id, 4);
    assert_string_equal(m.brokers[0]->rack, "r1");
    /* mystery: no Kafka key at all, named explicitly: a warning, no error */
    assert_int_equal(m.diags.nerrors, 0);
    bool warned = false;
    for (uint32_t i = 0; i < m.diags.n; i++)
        warned |= m.diags.v[i].sev == DIAG_WARNING &&
                  strstr(m.diags.v[i].msg, "not a Kafka configuration") != NULL;
    assert_true(warned);
    model_release(&m);
}

/* KA418: Kafka's default log.dir=/tmp/kafka-logs is reported for brokers
 * that run from a server.properties, never for brokers whose image,
 * operator or manifest decides the directory. */
static void lint_sources(struct model *m, struct finding_list *fl, const char *const *src)
{
    model_init(m);
    for (int i = 0; src[i]; i += 2)
        assert_int_equal(tu_model_add(m, src[i], src[i + 1]), 0);
    model_finalize(m);
    finding_list_init(fl);
    engine_run(&RS, m, fl);
}

static void test_log_dir_default_only_for_server_properties(void **state)
{
    (void)state;
    struct model m;
    struct finding_list fl;
    const char *const mixed[] = {
        "deploy.yaml",
        "cluster: {brokers: [{id: 3}]}\n",
        "server.properties",
        "# broker 1\nnode.id=1\nprocess.roles=broker,controller\n",
        "docker-compose.yml",
        "services:\n  kafka:\n    image: apache/kafka:3.7.0\n    environment:\n"
        "      KAFKA_NODE_ID: 2\n      KAFKA_PROCESS_ROLES: broker,controller\n"
        "  cp:\n    image: confluentinc/cp-kafka:7.6.1\n    environment:\n"
        "      KAFKA_NODE_ID: 4\n      KAFKA_PROCESS_ROLES: broker,controller\n",
        NULL};
    lint_sources(&m, &fl, mixed);
    assert_int_equal(m.nbrokers, 4);
    /* the apache/kafka image writes its server.properties from the
     * environment alone when it sets any KAFKA_* key: Kafka's defaults */
    for (uint32_t i = 0; i < m.nbrokers; i++)
        assert_int_equal(m.brokers[i]->server_properties,
                         m.brokers[i]->id == 1 || m.brokers[i]->id == 2);
    assert_int_equal(tu_count(&fl, "KA418"), 2);
    const struct finding *f = tu_find(&fl, "KA418");
    const struct finding *f2 = NULL;
    for (uint32_t i = 0; i < fl.n; i++)
        if (strcmp(fl.v[i].rule->id, "KA418") == 0 && &fl.v[i] != f)
            f2 = &fl.v[i];
    if (f->obj != &model_find_broker(&m, 1)->o) {
        const struct finding *t = f;
        f = f2;
        f2 = t;
    }
    assert_ptr_equal(f->obj, &model_find_broker(&m, 1)->o);
    assert_string_equal(source_path(&m.sources, f->loc.file), "server.properties");
    assert_int_equal(f->loc.line, 2); /* the file's first key */
    assert_non_null(strstr(f->message, "log.dir=/tmp/kafka-logs"));
    assert_ptr_equal(f2->obj, &model_find_broker(&m, 2)->o);
    assert_string_equal(source_path(&m.sources, f2->loc.file), "docker-compose.yml");
    assert_int_equal(f2->loc.line, 3); /* its image */
    /* the cp-kafka broker runs with its image's log directory
     * (/var/lib/kafka/data), the manifest's is unknown: neither is judged */
    assert_int_equal(tu_count(&fl, "KA417"), 0);
    assert_int_equal(tu_count(&fl, "KA408"), 0);
    finding_list_release(&fl);
    model_release(&m);

    /* declared by a manifest first: the finding is still at the file the
     * broker runs from */
    const char *const merged[] = {"deploy.yaml", "cluster: {brokers: [{id: 1, rack: a}]}\n",
                                  "server-1.properties", "broker.id=1\n", NULL};
    lint_sources(&m, &fl, merged);
    assert_int_equal(tu_count(&fl, "KA418"), 1);
    f = tu_find(&fl, "KA418");
    assert_string_equal(source_path(&m.sources, f->loc.file), "server-1.properties");
    finding_list_release(&fl);
    model_release(&m);

    /* a directory that is set, here or in the cluster config, is not the
     * default; one under /tmp is KA408/KA417's */
    const char *const set[] = {"server-1.properties",
                               "broker.id=1\nlog.dirs=/var/lib/kafka/data\n",
                               "server-2.properties",
                               "broker.id=2\nlog.dir=/var/lib/kafka\n",
                               "server-3.properties",
                               "broker.id=3\nlog.dir=/tmp/kafka-logs\n",
                               NULL};
    lint_sources(&m, &fl, set);
    assert_int_equal(tu_count(&fl, "KA418"), 0);
    assert_int_equal(tu_count(&fl, "KA417"), 1);
    finding_list_release(&fl);
    model_release(&m);
    const char *const inherited[] = {"deploy.yaml", "cluster: {config: {log.dirs: /data}}\n",
                                     "server.properties", "broker.id=1\n", NULL};
    lint_sources(&m, &fl, inherited);
    assert_int_equal(tu_count(&fl, "KA418"), 0);
    finding_list_release(&fl);
    model_release(&m);

    /* a KRaft controller-only node is not a broker of the model, but a
     * controller: without a directory its metadata log is in Kafka's
     * log.dir default, pointed at on the file's first line (KA419) */
    const char *const controller[] = {"controller.properties",
                                      "process.roles=controller\nnode.id=9\n", NULL};
    lint_sources(&m, &fl, controller);
    assert_int_equal(m.nbrokers, 0);
    assert_int_equal(m.ncontrollers, 1);
    assert_string_equal(m.controllers[0]->o.name, "controller 9");
    assert_int_equal(tu_count(&fl, "KA418"), 0);
    assert_int_equal(tu_count(&fl, "KA419"), 1);
    assert_int_equal(tu_find(&fl, "KA419")->loc.line, 1);
    finding_list_release(&fl);
    model_release(&m);
    /* the first of log.dirs counts, and metadata.log.dir before it */
    const char *const ctl_dirs[] = {
        "c1.properties", "process.roles=controller\nnode.id=1\nlog.dirs=/data/a, /tmp/b\n",
        "c2.properties",
        "process.roles=controller\nnode.id=2\nlog.dirs=/data\nmetadata.log.dir=/tmp/meta\n", NULL};
    lint_sources(&m, &fl, ctl_dirs);
    assert_int_equal(m.ncontrollers, 2);
    assert_int_equal(tu_count(&fl, "KA419"), 1);
    assert_string_equal(tu_find(&fl, "KA419")->obj->name, "controller 2");
    assert_int_equal(tu_find(&fl, "KA419")->loc.line, 4); /* metadata.log.dir */
    finding_list_release(&fl);
    model_release(&m);
    /* the list as Kafka reads it: empty entries dropped, entries trimmed */
    const char *const ctl_csv[] = {
        "c3.properties", "process.roles=controller\nnode.id=3\nlog.dirs=,/tmp/meta\n", NULL};
    lint_sources(&m, &fl, ctl_csv);
    assert_int_equal(tu_count(&fl, "KA419"), 1);
    finding_list_release(&fl);
    model_release(&m);
    /* a manifest that only lists controllers describes no brokers */
    lint("cluster: {controllers: [{id: 1, config: {log.dirs: \"  /tmp/x\"}}]}\n", &fl, &m);
    assert_int_equal(tu_count(&fl, "KA419"), 1);
    assert_int_equal(tu_count(&fl, "KA409"), 0);
    assert_int_equal(tu_count(&fl, "KA402"), 0);
    finding_list_release(&fl);
    model_release(&m);
    /* manifest controllers: an id is needed, and a list */
    assert_int_equal(
        tu_model(&m, "deploy.yaml", "cluster: {controllers: [{config: {log.dirs: /data}}]}\n"), 1);
    assert_non_null(strstr(m.diags.v[0].msg, "a controller needs an 'id'"));
    model_release(&m);
    assert_int_equal(tu_model(&m, "deploy.yaml", "cluster: {controllers: 3}\n"), 1);
    assert_non_null(strstr(m.diags.v[0].msg, "controllers must be a list"));
    model_release(&m);
    assert_int_equal(tu_model(&m, "deploy.yaml", "cluster: {controllers: [{id: 1, rack: a}]}\n"),
                     1);
    assert_int_equal(m.ncontrollers, 1);
    assert_non_null(strstr(m.diags.v[0].msg, "unknown field 'rack' in a controller"));
    finding_list_release(&fl);
    model_release(&m);

    /* a manifest can say its broker runs from a server.properties */
    lint("cluster:\n  brokers:\n    - {id: 1, server_properties: true}\n    - {id: 2}\n", &fl, &m);
    assert_true(model_find_broker(&m, 1)->server_properties);
    assert_false(model_find_broker(&m, 2)->server_properties);
    assert_int_equal(tu_count(&fl, "KA418"), 1);
    assert_int_equal(tu_find(&fl, "KA418")->loc.line, 3);
    finding_list_release(&fl);
    model_release(&m);
    assert_int_equal(
        tu_model(&m, "deploy.yaml", "cluster: {brokers: [{id: 1, server_properties: maybe}]}\n"),
        1);
    assert_non_null(strstr(m.diags.v[0].msg, "server_properties must be true or false"));
    model_release(&m);
}

/* "replaces": a listed rule's finding at the same place (file, line and column)
 * merges into the replacing rule's finding, which lists its place and
 * objects; elsewhere it stays, with threads as without.  A suppression of
 * either part covers the merged finding. */
static void run_replaces(const struct rule_set *rs, const struct model *m, unsigned jobs,
                         struct finding_list *fl)
{
    finding_list_init(fl);
    engine_run_jobs(rs, m, fl, jobs);
    engine_merge_causes(rs, m, fl);
}

static void test_replaces(void **state)
{
    (void)state;
    struct rule_set rs;
    assert_int_equal(
        tu_rules(&rs, "rules:\n"
                      "  - {id: T1, title: t, severity: info, scope: producer,\n"
                      "     when: linger.ms > 5, at: linger.ms, message: m}\n"
                      "  - {id: T2, title: t, severity: error, scope: producer,\n"
                      "     when: linger.ms > 50 && name != \"c\", at: linger.ms, message: m,\n"
                      "     replaces: [T1, T3]}\n"
                      "  - {id: T3, title: t, severity: info, scope: producer,\n"
                      "     when: linger.ms > 5, at: acks, message: m}\n"),
        0);
    struct model m;
    tu_model(&m, "deploy.yaml",
             "producers:\n"
             "  a: {client: java 3.6, config: {linger.ms: 100, acks: all}}\n"
             "  b: {client: java 3.6, config: {linger.ms: 10}}\n");
    for (unsigned jobs = 1; jobs <= 3; jobs += 2) {
        struct finding_list fl;
        run_replaces(&rs, &m, jobs, &fl);
        assert_int_equal(tu_count(&fl, "T2"), 1); /* a */
        assert_int_equal(tu_count(&fl, "T1"), 1); /* b only: a's is T2's */
        assert_string_equal(tu_find(&fl, "T1")->obj->name, "b");
        assert_int_equal(tu_find(&fl, "T2")->nalso, 1); /* T1 on a, same line */
        assert_string_equal(tu_find(&fl, "T2")->also[0].rule->id, "T1");
        assert_int_equal(tu_find(&fl, "T2")->severity, SEV_ERROR);
        assert_int_equal(tu_count(&fl, "T3"), 2); /* at acks: another place */
        finding_list_release(&fl);
    }
    /* T1 suppressed on a: the merged finding is suppressed, T1 on b not */
    struct finding_list fl;
    finding_list_init(&fl);
    engine_run(&rs, &m, &fl);
    for (uint32_t i = 0; i < fl.n; i++)
        if (strcmp(fl.v[i].rule->id, "T1") == 0 && strcmp(fl.v[i].obj->name, "a") == 0)
            fl.v[i].status = FS_SUPPRESSED;
    engine_merge_causes(&rs, &m, &fl);
    assert_int_equal(tu_count(&fl, "T1"), 1);
    assert_int_equal(tu_find(&fl, "T1")->status, FS_ACTIVE);
    assert_int_equal(tu_find(&fl, "T2")->status, FS_SUPPRESSED);
    finding_list_release(&fl);
    model_release(&m);

    /* one config shared through an anchor: T1 is one finding for a and c
     * (folded, same place); T2 (same scope) fires on a only, so T1 stays
     * whole for c */
    tu_model(&m, "deploy.yaml",
             "producers:\n"
             "  a: {client: java 3.6, config: &cfg {linger.ms: 100}}\n"
             "  c: {client: java 3.6, config: *cfg}\n");
    run_replaces(&rs, &m, 1, &fl);
    assert_int_equal(tu_count(&fl, "T2"), 1);
    assert_int_equal(tu_count(&fl, "T1"), 1);
    assert_int_equal(tu_find(&fl, "T1")->nrelated, 1);
    finding_list_release(&fl);
    model_release(&m);
    rule_set_release(&rs);

    /* a rule cannot replace itself; an unknown id is a warning */
    assert_int_equal(tu_rules(&rs, "rules:\n  - {id: T1, title: t, severity: info, scope: "
                                   "producer, when: true, message: m, replaces: [T1]}\n"),
                     1);
    rule_set_release(&rs);
    assert_int_equal(tu_rules(&rs, "rules:\n  - {id: T1, title: t, severity: info, scope: "
                                   "producer, when: true, message: m, replaces: [T9]}\n"),
                     0);
    rule_set_check_refs(&rs);
    assert_int_equal(rs.diags.nerrors, 0);
    assert_int_equal(rs.diags.n, 1);
    assert_non_null(strstr(rs.diags.v[0].msg, "replaces 'T9', which no rule file defines"));
    rule_set_release(&rs);
}

/* "supersedes": a listed rule's finding on an object the owner fires on
 * merges at any place; a cluster-scope owner stands for every object.
 * Settings repeated with one value on every broker fold into one. */
static void test_supersedes_and_fold(void **state)
{
    (void)state;
    struct rule_set rs;
    assert_int_equal(tu_rules(&rs, "rules:\n"
                                   "  - {id: S1, title: t, severity: info, scope: topic,\n"
                                   "     when: replication_factor == 2, at: replication_factor,\n"
                                   "     message: m, supersedes: [S2]}\n"
                                   "  - {id: S2, title: t, severity: warning, scope: topic,\n"
                                   "     when: min.insync.replicas == 2, at: min.insync.replicas,\n"
                                   "     message: m}\n"
                                   "  - {id: S3, title: t, severity: info, scope: cluster,\n"
                                   "     when: brokers == 1, message: m, supersedes: [S4]}\n"
                                   "  - {id: S4, title: t, severity: error, scope: broker,\n"
                                   "     when: offsets.topic.replication.factor == 1,\n"
                                   "     at: offsets.topic.replication.factor, message: m}\n"),
                     0);
    struct model m;
    tu_model(&m, "deploy.yaml",
             "topics:\n"
             "  a: {replication_factor: 2,\n"
             "      config: {min.insync.replicas: 2}}\n"
             "  b: {replication_factor: 3, config: {min.insync.replicas: 2}}\n");
    struct finding_list fl;
    finding_list_init(&fl);
    engine_run(&rs, &m, &fl);
    engine_merge_causes(&rs, &m, &fl);
    assert_int_equal(tu_count(&fl, "S1"), 1);
    assert_int_equal(tu_count(&fl, "S2"), 1); /* b: S1 does not fire there */
    assert_string_equal(tu_find(&fl, "S2")->obj->name, "b");
    const struct finding *f = tu_find(&fl, "S1");
    assert_int_equal(f->nalso, 1); /* a's min.insync.replicas line */
    assert_int_equal(f->also[0].loc.line, 3);
    assert_string_equal(f->also[0].rule->id, "S2");
    assert_int_equal(f->severity, SEV_WARNING); /* the merged severity never drops */
    finding_list_release(&fl);
    model_release(&m);

    /* three brokers with the same line each: one finding, every line */
    tu_model(&m, "deploy.yaml",
             "cluster:\n"
             "  brokers:\n"
             "    - {id: 1, config: {offsets.topic.replication.factor: 1}}\n"
             "    - {id: 2, config: {offsets.topic.replication.factor: 1}}\n"
             "    - {id: 3, config: {offsets.topic.replication.factor: 1}}\n");
    finding_list_init(&fl);
    engine_run(&rs, &m, &fl);
    uint64_t first = tu_find(&fl, "S4")->fingerprint;
    assert_int_equal(tu_count(&fl, "S4"), 3);
    engine_merge_causes(&rs, &m, &fl);
    assert_int_equal(tu_count(&fl, "S4"), 1);
    f = tu_find(&fl, "S4");
    assert_int_equal(f->nalso, 2);
    assert_int_equal(f->nrelated, 3);
    assert_int_equal(f->fingerprint, first); /* baselines keep matching */
    finding_list_release(&fl);
    model_release(&m);

    /* one broker: the cluster-wide statement stands for it */
    tu_model(&m, "deploy.yaml",
             "cluster:\n"
             "  brokers: [{id: 1, config: {offsets.topic.replication.factor: 1}}]\n");
    finding_list_init(&fl);
    engine_run(&rs, &m, &fl);
    engine_merge_causes(&rs, &m, &fl);
    assert_int_equal(tu_count(&fl, "S4"), 0);
    assert_int_equal(tu_count(&fl, "S3"), 1);
    assert_int_equal(tu_find(&fl, "S3")->severity, SEV_ERROR);
    assert_int_equal(tu_find(&fl, "S3")->nalso, 1);
    finding_list_release(&fl);
    model_release(&m);
    rule_set_release(&rs);
}

int main(void)
{
    if (tu_builtin_rules(&RS)) {
        fprintf(stderr, "cannot load %s\n", RULES_DIR);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inherited_value_is_one_finding_on_the_cluster_line),
        cmocka_unit_test(test_fingerprint_ignores_line_numbers),
        cmocka_unit_test(test_brokers_agreeing_collapse_disagreeing_do_not),
        cmocka_unit_test(test_builtin_checks),
        cmocka_unit_test(test_removed_key_has_no_effect),
        cmocka_unit_test(test_no_cluster_no_broker_findings),
        cmocka_unit_test(test_properties_role_and_client_detection),
        cmocka_unit_test(test_log_dir_default_only_for_server_properties),
        cmocka_unit_test(test_replaces),
        cmocka_unit_test(test_supersedes_and_fold),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    rule_set_release(&RS);
    return rc;
}
