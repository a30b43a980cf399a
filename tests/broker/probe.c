/*
 * probe.c - print what librdkafka (2.0.2 API) sees of a Kafka cluster, as
 * simple "one fact per line" text.  Used to verify the scenario test broker
 * end-to-end against the real client library.
 *
 *   gcc -Wall -Wextra -o /tmp/probe tests/broker/probe.c -lrdkafka
 *   /tmp/probe -b 127.0.0.1:9092 metadata -- configs topic orders -- \
 *              offsets billing -- offsets billing orders:0,orders:1
 *
 * Options (before the first command):
 *   -b BOOTSTRAP     bootstrap.servers (required)
 *   -t MS            per-operation timeout (default 10000)
 *   -X KEY=VALUE     extra librdkafka configuration (repeatable); the probe
 *                    sets allow.auto.create.topics=false unless overridden
 *
 * Commands (separate several with "--"; they share one client):
 *   metadata [TOPIC...]            rd_kafka_metadata (+ clusterid/controllerid)
 *   configs topic NAME [KEY...]    rd_kafka_DescribeConfigs, TOPIC resource
 *   configs broker ID [KEY...]     rd_kafka_DescribeConfigs, BROKER resource
 *   groups [STATE...]              rd_kafka_ListConsumerGroups (state filter)
 *   describe GROUP...              rd_kafka_DescribeConsumerGroups
 *   offsets GROUP [T:P,T:P...]     rd_kafka_ListConsumerGroupOffsets
 *                                  (no list: NULL partitions = "all")
 *   watermarks TOPIC PARTITION     rd_kafka_query_watermark_offsets
 *   times TOPIC PARTITION TS_MS    rd_kafka_offsets_for_times
 *
 * Exit status: 0 ok, 1 an operation failed as a whole (timeout, transport,
 * ...; per-resource errors are printed, not failures), 2 usage.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <librdkafka/rdkafka.h>

static int timeout_ms = 10000;
static int failures = 0;

static void fail(const char *op, const char *what)
{
    printf("error %s %s\n", op, what);
    failures++;
}

static const char *str_or_null(const char *s) { return s ? s : "(null)"; }

static void print_int32_list(const char *label, const int32_t *v, int cnt)
{
    int i;
    printf(" %s=", label);
    for (i = 0; i < cnt; i++)
        printf("%s%" PRId32, i ? "," : "", v[i]);
}

/* Wait for an admin result event of the given type on q. */
static rd_kafka_event_t *wait_event(rd_kafka_queue_t *q, rd_kafka_event_type_t type, const char *op)
{
    rd_kafka_event_t *ev;
    int waited = 0;
    while (waited <= timeout_ms + 2000) {
        ev = rd_kafka_queue_poll(q, 200);
        waited += 200;
        if (!ev)
            continue;
        if (rd_kafka_event_type(ev) == type) {
            if (rd_kafka_event_error(ev)) {
                char buf[512];
                snprintf(buf, sizeof(buf), "%s %s", rd_kafka_err2name(rd_kafka_event_error(ev)),
                         rd_kafka_event_error_string(ev));
                fail(op, buf);
                rd_kafka_event_destroy(ev);
                return NULL;
            }
            return ev;
        }
        rd_kafka_event_destroy(ev);
    }
    fail(op, "TIMEOUT waiting for result");
    return NULL;
}

static rd_kafka_AdminOptions_t *admin_options(rd_kafka_t *rk, rd_kafka_admin_op_t op)
{
    char errstr[256];
    rd_kafka_AdminOptions_t *o = rd_kafka_AdminOptions_new(rk, op);
    rd_kafka_AdminOptions_set_request_timeout(o, timeout_ms, errstr, sizeof(errstr));
    return o;
}

/* ---- metadata ---------------------------------------------------------- */
static void cmd_metadata(rd_kafka_t *rk, int argc, char **argv)
{
    const struct rd_kafka_metadata *md;
    rd_kafka_resp_err_t err;
    char *cid;
    int i, j;

    if (argc == 0) {
        err = rd_kafka_metadata(rk, 1, NULL, &md, timeout_ms);
    } else {
        /* all_topics=0 with no topic handle fetches only known
         * topics; create handles so the requested ones are known. */
        for (i = 0; i < argc; i++) {
            rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, argv[i], NULL);
            rd_kafka_topic_destroy(rkt);
        }
        err = rd_kafka_metadata(rk, 0, NULL, &md, timeout_ms);
    }
    if (err) {
        fail("metadata", rd_kafka_err2name(err));
        return;
    }
    cid = rd_kafka_clusterid(rk, timeout_ms);
    printf("cluster_id %s\n", str_or_null(cid));
    if (cid)
        rd_kafka_mem_free(rk, cid);
    printf("controller %" PRId32 "\n", rd_kafka_controllerid(rk, timeout_ms));
    printf("orig_broker %" PRId32 "\n", md->orig_broker_id);
    for (i = 0; i < md->broker_cnt; i++)
        printf("broker %" PRId32 " %s %d\n", md->brokers[i].id, md->brokers[i].host,
               md->brokers[i].port);
    for (i = 0; i < md->topic_cnt; i++) {
        const rd_kafka_metadata_topic_t *t = &md->topics[i];
        printf("topic %s partitions=%d err=%s\n", t->topic, t->partition_cnt,
               rd_kafka_err2name(t->err));
        for (j = 0; j < t->partition_cnt; j++) {
            const rd_kafka_metadata_partition_t *p = &t->partitions[j];
            printf("partition %s %" PRId32 " err=%s leader=%" PRId32, t->topic, p->id,
                   rd_kafka_err2name(p->err), p->leader);
            print_int32_list("replicas", p->replicas, p->replica_cnt);
            print_int32_list("isr", p->isrs, p->isr_cnt);
            printf("\n");
        }
    }
    rd_kafka_metadata_destroy(md);
}

/* ---- configs ------------------------------------------------------------ */
static void cmd_configs(rd_kafka_t *rk, rd_kafka_queue_t *q, int argc, char **argv)
{
    rd_kafka_ConfigResource_t *res;
    rd_kafka_ResourceType_t type;
    rd_kafka_AdminOptions_t *opts;
    rd_kafka_event_t *ev;
    const rd_kafka_DescribeConfigs_result_t *result;
    const rd_kafka_ConfigResource_t **rs;
    size_t rcnt, r, i, e;
    int k;

    if (argc < 2 || (strcmp(argv[0], "topic") && strcmp(argv[0], "broker"))) {
        fail("configs", "usage: configs topic|broker NAME [KEY...]");
        return;
    }
    type = !strcmp(argv[0], "topic") ? RD_KAFKA_RESOURCE_TOPIC : RD_KAFKA_RESOURCE_BROKER;
    res = rd_kafka_ConfigResource_new(type, argv[1]);
    /* Config names to describe (the value is ignored by DescribeConfigs,
     * but librdkafka rejects NULL values). */
    for (k = 2; k < argc; k++)
        rd_kafka_ConfigResource_set_config(res, argv[k], "");
    opts = admin_options(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS);
    rd_kafka_DescribeConfigs(rk, &res, 1, opts, q);
    rd_kafka_AdminOptions_destroy(opts);
    rd_kafka_ConfigResource_destroy(res);

    ev = wait_event(q, RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT, "configs");
    if (!ev)
        return;
    result = rd_kafka_event_DescribeConfigs_result(ev);
    rs = rd_kafka_DescribeConfigs_result_resources(result, &rcnt);
    for (r = 0; r < rcnt; r++) {
        const char *tname = rd_kafka_ResourceType_name(rd_kafka_ConfigResource_type(rs[r]));
        const rd_kafka_ConfigEntry_t **entries;
        size_t ecnt;
        if (rd_kafka_ConfigResource_error(rs[r])) {
            printf("configerror %s %s %s %s\n", tname, rd_kafka_ConfigResource_name(rs[r]),
                   rd_kafka_err2name(rd_kafka_ConfigResource_error(rs[r])),
                   str_or_null(rd_kafka_ConfigResource_error_string(rs[r])));
            continue;
        }
        entries = rd_kafka_ConfigResource_configs(rs[r], &ecnt);
        printf("configresource %s %s entries=%zu\n", tname, rd_kafka_ConfigResource_name(rs[r]),
               ecnt);
        for (i = 0; i < ecnt; i++) {
            const rd_kafka_ConfigEntry_t *ce = entries[i];
            const rd_kafka_ConfigEntry_t **syns;
            size_t scnt;
            printf("config %s %s %s value=%s source=%s readonly=%d default=%d "
                   "sensitive=%d synonyms=",
                   tname, rd_kafka_ConfigResource_name(rs[r]), rd_kafka_ConfigEntry_name(ce),
                   str_or_null(rd_kafka_ConfigEntry_value(ce)),
                   rd_kafka_ConfigSource_name(rd_kafka_ConfigEntry_source(ce)),
                   rd_kafka_ConfigEntry_is_read_only(ce), rd_kafka_ConfigEntry_is_default(ce),
                   rd_kafka_ConfigEntry_is_sensitive(ce));
            syns = rd_kafka_ConfigEntry_synonyms(ce, &scnt);
            for (e = 0; e < scnt; e++)
                printf("%s%s:%s=%s", e ? "," : "",
                       rd_kafka_ConfigSource_name(rd_kafka_ConfigEntry_source(syns[e])),
                       rd_kafka_ConfigEntry_name(syns[e]),
                       str_or_null(rd_kafka_ConfigEntry_value(syns[e])));
            printf("\n");
        }
    }
    rd_kafka_event_destroy(ev);
}

/* ---- groups ------------------------------------------------------------- */
static int state_from_name(const char *s)
{
    int i;
    for (i = 0; i < RD_KAFKA_CONSUMER_GROUP_STATE__CNT; i++)
        if (!strcasecmp(s, rd_kafka_consumer_group_state_name(i)))
            return i;
    return -1;
}

static int cmp_listing(const void *a, const void *b)
{
    return strcmp(
        rd_kafka_ConsumerGroupListing_group_id(*(const rd_kafka_ConsumerGroupListing_t *const *)a),
        rd_kafka_ConsumerGroupListing_group_id(*(const rd_kafka_ConsumerGroupListing_t *const *)b));
}

static void cmd_groups(rd_kafka_t *rk, rd_kafka_queue_t *q, int argc, char **argv)
{
    rd_kafka_AdminOptions_t *opts = admin_options(rk, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS);
    rd_kafka_consumer_group_state_t states[RD_KAFKA_CONSUMER_GROUP_STATE__CNT];
    const rd_kafka_ConsumerGroupListing_t **valid, **sorted;
    const rd_kafka_error_t **errors;
    const rd_kafka_ListConsumerGroups_result_t *result;
    rd_kafka_event_t *ev;
    size_t vcnt, ecnt, i;
    int k, n = 0;

    for (k = 0; k < argc && n < RD_KAFKA_CONSUMER_GROUP_STATE__CNT; k++) {
        int s = state_from_name(argv[k]);
        if (s < 0) {
            fail("groups", "unknown state");
            rd_kafka_AdminOptions_destroy(opts);
            return;
        }
        states[n++] = (rd_kafka_consumer_group_state_t)s;
    }
    if (n) {
        rd_kafka_error_t *error =
            rd_kafka_AdminOptions_set_match_consumer_group_states(opts, states, n);
        if (error) {
            fail("groups", rd_kafka_error_string(error));
            rd_kafka_error_destroy(error);
        }
    }
    rd_kafka_ListConsumerGroups(rk, opts, q);
    rd_kafka_AdminOptions_destroy(opts);
    ev = wait_event(q, RD_KAFKA_EVENT_LISTCONSUMERGROUPS_RESULT, "groups");
    if (!ev)
        return;
    result = rd_kafka_event_ListConsumerGroups_result(ev);
    valid = rd_kafka_ListConsumerGroups_result_valid(result, &vcnt);
    errors = rd_kafka_ListConsumerGroups_result_errors(result, &ecnt);
    sorted = malloc(sizeof(*sorted) * (vcnt ? vcnt : 1));
    memcpy(sorted, valid, sizeof(*sorted) * vcnt);
    qsort(sorted, vcnt, sizeof(*sorted), cmp_listing);
    printf("groups count=%zu errors=%zu\n", vcnt, ecnt);
    for (i = 0; i < vcnt; i++)
        printf("group %s state=%s simple=%d\n", rd_kafka_ConsumerGroupListing_group_id(sorted[i]),
               rd_kafka_consumer_group_state_name(rd_kafka_ConsumerGroupListing_state(sorted[i])),
               rd_kafka_ConsumerGroupListing_is_simple_consumer_group(sorted[i]));
    for (i = 0; i < ecnt; i++)
        printf("grouperror %s %s\n", rd_kafka_err2name(rd_kafka_error_code(errors[i])),
               rd_kafka_error_string(errors[i]));
    free(sorted);
    rd_kafka_event_destroy(ev);
}

static void print_partitions(const rd_kafka_topic_partition_list_t *l)
{
    int i;
    for (i = 0; l && i < l->cnt; i++)
        printf("%s%s:%" PRId32, i ? "," : "", l->elems[i].topic, l->elems[i].partition);
}

static void cmd_describe(rd_kafka_t *rk, rd_kafka_queue_t *q, int argc, char **argv)
{
    rd_kafka_AdminOptions_t *opts;
    const rd_kafka_DescribeConsumerGroups_result_t *result;
    const rd_kafka_ConsumerGroupDescription_t **groups;
    rd_kafka_event_t *ev;
    size_t cnt, i, m;

    if (argc < 1) {
        fail("describe", "usage: describe GROUP...");
        return;
    }
    opts = admin_options(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS);
    rd_kafka_DescribeConsumerGroups(rk, (const char **)argv, argc, opts, q);
    rd_kafka_AdminOptions_destroy(opts);
    ev = wait_event(q, RD_KAFKA_EVENT_DESCRIBECONSUMERGROUPS_RESULT, "describe");
    if (!ev)
        return;
    result = rd_kafka_event_DescribeConsumerGroups_result(ev);
    groups = rd_kafka_DescribeConsumerGroups_result_groups(result, &cnt);
    for (i = 0; i < cnt; i++) {
        const rd_kafka_ConsumerGroupDescription_t *g = groups[i];
        const rd_kafka_error_t *error = rd_kafka_ConsumerGroupDescription_error(g);
        const rd_kafka_Node_t *coord = rd_kafka_ConsumerGroupDescription_coordinator(g);
        size_t mcnt = rd_kafka_ConsumerGroupDescription_member_count(g);
        printf("describe %s err=%s state=%s assignor=%s coordinator=%d simple=%d "
               "members=%zu",
               rd_kafka_ConsumerGroupDescription_group_id(g),
               error ? rd_kafka_err2name(rd_kafka_error_code(error)) : "NO_ERROR",
               rd_kafka_consumer_group_state_name(rd_kafka_ConsumerGroupDescription_state(g)),
               str_or_null(rd_kafka_ConsumerGroupDescription_partition_assignor(g)),
               coord ? rd_kafka_Node_id(coord) : -1,
               rd_kafka_ConsumerGroupDescription_is_simple_consumer_group(g), mcnt);
        if (error)
            printf(" errstr=\"%s\"", rd_kafka_error_string(error));
        printf("\n");
        for (m = 0; m < mcnt; m++) {
            const rd_kafka_MemberDescription_t *md = rd_kafka_ConsumerGroupDescription_member(g, m);
            const rd_kafka_MemberAssignment_t *as = rd_kafka_MemberDescription_assignment(md);
            printf("member %s client_id=%s host=%s consumer_id=%s instance_id=%s "
                   "assignment=",
                   rd_kafka_ConsumerGroupDescription_group_id(g),
                   rd_kafka_MemberDescription_client_id(md), rd_kafka_MemberDescription_host(md),
                   rd_kafka_MemberDescription_consumer_id(md),
                   str_or_null(rd_kafka_MemberDescription_group_instance_id(md)));
            print_partitions(as ? rd_kafka_MemberAssignment_partitions(as) : NULL);
            printf("\n");
        }
    }
    rd_kafka_event_destroy(ev);
}

/* "orders:0,orders:1" -> list */
static rd_kafka_topic_partition_list_t *parse_partitions(int argc, char **argv)
{
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(8);
    int k;
    for (k = 0; k < argc; k++) {
        char *copy = strdup(argv[k]), *save = NULL, *tok;
        for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            char *colon = strrchr(tok, ':');
            if (!colon) {
                free(copy);
                rd_kafka_topic_partition_list_destroy(l);
                return NULL;
            }
            *colon = '\0';
            rd_kafka_topic_partition_list_add(l, tok, atoi(colon + 1));
        }
        free(copy);
    }
    return l;
}

static void cmd_offsets(rd_kafka_t *rk, rd_kafka_queue_t *q, int argc, char **argv)
{
    rd_kafka_topic_partition_list_t *parts = NULL;
    rd_kafka_ListConsumerGroupOffsets_t *req;
    rd_kafka_AdminOptions_t *opts;
    const rd_kafka_ListConsumerGroupOffsets_result_t *result;
    const rd_kafka_group_result_t **gres;
    rd_kafka_event_t *ev;
    size_t cnt, i;

    if (argc < 1) {
        fail("offsets", "usage: offsets GROUP [T:P,...]");
        return;
    }
    if (argc > 1 && !(parts = parse_partitions(argc - 1, argv + 1))) {
        fail("offsets", "bad partition list (want topic:partition,...)");
        return;
    }
    req = rd_kafka_ListConsumerGroupOffsets_new(argv[0], parts);
    opts = admin_options(rk, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS);
    rd_kafka_ListConsumerGroupOffsets(rk, &req, 1, opts, q);
    rd_kafka_AdminOptions_destroy(opts);
    rd_kafka_ListConsumerGroupOffsets_destroy(req);
    if (parts)
        rd_kafka_topic_partition_list_destroy(parts);
    ev = wait_event(q, RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT, "offsets");
    if (!ev)
        return;
    result = rd_kafka_event_ListConsumerGroupOffsets_result(ev);
    gres = rd_kafka_ListConsumerGroupOffsets_result_groups(result, &cnt);
    for (i = 0; i < cnt; i++) {
        const rd_kafka_error_t *error = rd_kafka_group_result_error(gres[i]);
        const rd_kafka_topic_partition_list_t *l = rd_kafka_group_result_partitions(gres[i]);
        rd_kafka_topic_partition_list_t *copy = l ? rd_kafka_topic_partition_list_copy(l) : NULL;
        int j;
        printf("offsets %s err=%s count=%d\n", rd_kafka_group_result_name(gres[i]),
               error ? rd_kafka_err2name(rd_kafka_error_code(error)) : "NO_ERROR",
               copy ? copy->cnt : -1);
        if (!copy)
            continue;
        rd_kafka_topic_partition_list_sort(copy, NULL, NULL);
        for (j = 0; j < copy->cnt; j++)
            printf("offset %s %s %" PRId32 " %" PRId64 " err=%s metadata=%.*s\n",
                   rd_kafka_group_result_name(gres[i]), copy->elems[j].topic,
                   copy->elems[j].partition, copy->elems[j].offset,
                   rd_kafka_err2name(copy->elems[j].err), (int)copy->elems[j].metadata_size,
                   copy->elems[j].metadata ? (const char *)copy->elems[j].metadata : "");
        rd_kafka_topic_partition_list_destroy(copy);
    }
    rd_kafka_event_destroy(ev);
}

static void cmd_watermarks(rd_kafka_t *rk, int argc, char **argv)
{
    int64_t lo = -1, hi = -1;
    rd_kafka_resp_err_t err;
    if (argc != 2) {
        fail("watermarks", "usage: watermarks TOPIC PARTITION");
        return;
    }
    err = rd_kafka_query_watermark_offsets(rk, argv[0], atoi(argv[1]), &lo, &hi, timeout_ms);
    printf("watermarks %s %s low=%" PRId64 " high=%" PRId64 " err=%s\n", argv[0], argv[1], lo, hi,
           rd_kafka_err2name(err));
}

static void cmd_times(rd_kafka_t *rk, int argc, char **argv)
{
    rd_kafka_topic_partition_list_t *l;
    rd_kafka_resp_err_t err;
    if (argc != 3) {
        fail("times", "usage: times TOPIC PARTITION TIMESTAMP_MS");
        return;
    }
    l = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(l, argv[0], atoi(argv[1]))->offset =
        strtoll(argv[2], NULL, 10);
    err = rd_kafka_offsets_for_times(rk, l, timeout_ms);
    printf("time %s %s ts=%s offset=%" PRId64 " err=%s perr=%s\n", argv[0], argv[1], argv[2],
           l->elems[0].offset, rd_kafka_err2name(err), rd_kafka_err2name(l->elems[0].err));
    rd_kafka_topic_partition_list_destroy(l);
}

static void usage(void)
{
    fprintf(stderr,
            "usage: probe -b BOOTSTRAP [-t MS] [-X k=v]... CMD [ARGS] [-- CMD [ARGS]]...\n"
            "  metadata [TOPIC...] | configs topic|broker NAME [KEY...] | groups [STATE...]\n"
            "  describe GROUP... | offsets GROUP [T:P,...] | watermarks TOPIC P\n"
            "  times TOPIC P TS_MS\n");
    exit(2);
}

int main(int argc, char **argv)
{
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    const char *bootstrap = NULL;
    char **xargs = calloc(argc, sizeof(*xargs));
    int xcnt = 0, k;
    char errstr[512];
    rd_kafka_t *rk;
    rd_kafka_queue_t *q;
    int i = 1;

    while (i < argc && argv[i][0] == '-' && strcmp(argv[i], "--")) {
        if (i + 1 >= argc)
            usage();
        if (!strcmp(argv[i], "-b")) {
            bootstrap = argv[i + 1];
        } else if (!strcmp(argv[i], "-t")) {
            timeout_ms = atoi(argv[i + 1]);
        } else if (!strcmp(argv[i], "-X")) {
            xargs[xcnt++] = argv[i + 1];
        } else {
            usage();
        }
        i += 2;
    }
    if (!bootstrap || i >= argc)
        usage();
    /* A producer handle asks brokers to auto-create topics it requests
     * metadata for; an auditing probe must not (-X can override). */
    rd_kafka_conf_set(conf, "allow.auto.create.topics", "false", errstr, sizeof(errstr));
    for (k = 0; k < xcnt; k++) {
        char *kv = strdup(xargs[k]), *eq = strchr(kv, '=');
        if (!eq)
            usage();
        *eq = '\0';
        if (rd_kafka_conf_set(conf, kv, eq + 1, errstr, sizeof(errstr))) {
            fprintf(stderr, "probe: %s\n", errstr);
            exit(2);
        }
        free(kv);
    }
    free(xargs);
    if (rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof(errstr))) {
        fprintf(stderr, "probe: %s\n", errstr);
        exit(2);
    }
    rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
    if (!rk) {
        fprintf(stderr, "probe: %s\n", errstr);
        exit(2);
    }
    q = rd_kafka_queue_new(rk);

    while (i < argc) {
        int start = i, n;
        const char *cmd;
        while (i < argc && strcmp(argv[i], "--"))
            i++;
        n = i - start;
        cmd = argv[start];
        if (!strcmp(cmd, "metadata"))
            cmd_metadata(rk, n - 1, argv + start + 1);
        else if (!strcmp(cmd, "configs"))
            cmd_configs(rk, q, n - 1, argv + start + 1);
        else if (!strcmp(cmd, "groups"))
            cmd_groups(rk, q, n - 1, argv + start + 1);
        else if (!strcmp(cmd, "describe"))
            cmd_describe(rk, q, n - 1, argv + start + 1);
        else if (!strcmp(cmd, "offsets"))
            cmd_offsets(rk, q, n - 1, argv + start + 1);
        else if (!strcmp(cmd, "watermarks"))
            cmd_watermarks(rk, n - 1, argv + start + 1);
        else if (!strcmp(cmd, "times"))
            cmd_times(rk, n - 1, argv + start + 1);
        else
            fail(cmd, "unknown command");
        fflush(stdout);
        if (i < argc)
            i++; /* skip "--" */
    }

    rd_kafka_queue_destroy(q);
    rd_kafka_destroy(rk);
    return failures ? 1 : 0;
}
