/*
 * live_groups.c - consumer groups, members, assignments, committed offsets.
 *
 *   ListConsumerGroups (one call; librdkafka asks every broker)
 *   -> DescribeConsumerGroups (one call for all groups; librdkafka finds
 *      each group's coordinator and asks it)
 *   -> ListConsumerGroupOffsets, one group per call as librdkafka 2.0.2
 *      requires, with at most opts.group_window calls in flight on one
 *      queue.
 * Group ids are deduplicated (a group can be listed by two brokers while
 * its coordinator moves, kminion #335).
 *
 * Committed offsets of all partitions: ListConsumerGroupOffsets is first
 * sent with a NULL partition list ("all").  librdkafka 2.0.2 encodes that
 * as an empty topic array below OffsetFetch v6, and brokers older than
 * Kafka 2.4 answer it with no partitions (fixed in librdkafka 2.3.0).  We
 * detect that case - an answer without partitions for a group that must
 * have some: an Empty group (a group without members exists only for its
 * offsets), one whose state is unknown, or one whose members have
 * assignments - and ask again with an explicit list: the members'
 * assignments, or else every partition of every topic.  After three groups
 * that needed this, the remaining such groups are asked explicitly at
 * once.  On current brokers this costs nothing; on old ones a few more
 * requests.
 */
#include "live/live_internal.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FALLBACK_MAX_PARTITIONS 500000

static int cmp_group(const void *a, const void *b)
{
    const struct group *x = *(const struct group *const *)a;
    const struct group *y = *(const struct group *const *)b;
    return strcmp(x->o.name, y->o.name);
}

static int cmp_offset(const void *a, const void *b)
{
    const struct group_offset *x = a, *y = b;
    int r = strcmp(x->topic, y->topic);
    return r ? r : (x->partition > y->partition) - (x->partition < y->partition);
}

static rd_kafka_event_t *wait_type(struct live_client *c, rd_kafka_queue_t *q, int type)
{
    for (;;) {
        rd_kafka_event_t *ev = live_wait(c, q);
        if (!ev || rd_kafka_event_type(ev) == type)
            return ev;
        rd_kafka_event_destroy(ev);
    }
}

enum lg_result { LG_OK, LG_FAILED, LG_UNSUPPORTED };

/* ListGroups on every broker.  With -g (only) the listing is not added to
 * the model: it still tells whether the brokers support the group APIs at
 * all.  librdkafka 2.0.2's DescribeConsumerGroups deadlocks its main thread
 * when a broker lacks DescribeGroups (seen with its own mock cluster), so we
 * only call it when ListGroups is supported. */
static enum lg_result list_groups(struct live_client *c, rd_kafka_queue_t *q, bool only)
{
    struct model *m = c->m;
    rd_kafka_AdminOptions_t *ao = live_admin_opts(c, q, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS,
                                                  live_remaining(c), -1, NULL);
    rd_kafka_ListConsumerGroups(c->rk, ao, q);
    rd_kafka_AdminOptions_destroy(ao);
    rd_kafka_event_t *ev = wait_type(c, q, RD_KAFKA_EVENT_LISTCONSUMERGROUPS_RESULT);
    if (!ev) {
        live_warn(c, NULL, "ListGroups: no answer before the deadline; consumer groups unknown");
        return LG_FAILED;
    }
    if (rd_kafka_event_error(ev)) {
        live_warn(c, NULL, "ListGroups failed: %s; consumer groups unknown",
                  rd_kafka_event_error_string(ev));
        rd_kafka_event_destroy(ev);
        return LG_FAILED;
    }
    const rd_kafka_ListConsumerGroups_result_t *res = rd_kafka_event_ListConsumerGroups_result(ev);
    size_t n = 0;
    const rd_kafka_ConsumerGroupListing_t **v = rd_kafka_ListConsumerGroups_result_valid(res, &n);
    for (size_t i = 0; i < n; i++) {
        const char *id = rd_kafka_ConsumerGroupListing_group_id(v[i]);
        struct group *g = only ? model_find_group(m, id) : model_group(m, id, LOC_NONE, NULL);
        if (!g)
            continue;
        g->state = rd_kafka_consumer_group_state_name(rd_kafka_ConsumerGroupListing_state(v[i]));
        g->simple = rd_kafka_ConsumerGroupListing_is_simple_consumer_group(v[i]);
    }
    size_t ne = 0, unsupported = 0;
    const rd_kafka_error_t **errs = rd_kafka_ListConsumerGroups_result_errors(res, &ne);
    for (size_t i = 0; i < ne; i++)
        unsupported += rd_kafka_error_code(errs[i]) == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE;
    enum lg_result r = LG_OK;
    if (ne && unsupported == ne && n == 0) {
        live_warn(c, NULL, "the brokers do not support ListGroups/DescribeGroups: consumer group "
                           "states and members unknown%s",
                  only ? "" : "; name the groups with -g to read their committed offsets");
        r = LG_UNSUPPORTED;
    } else {
        for (size_t i = 0; i < ne; i++)
            live_warn(c, NULL, "ListGroups: %s; groups on that broker may be missing",
                      rd_kafka_error_string(errs[i]));
    }
    rd_kafka_event_destroy(ev);
    return r;
}

static struct tp *copy_tps(struct model *m, const rd_kafka_topic_partition_list_t *l,
                           uint32_t *n)
{
    *n = 0;
    if (!l || !l->cnt)
        return NULL;
    struct tp *v = ARENA_ARRAY(&m->arena, struct tp, (size_t)l->cnt);
    for (int i = 0; i < l->cnt; i++) {
        v[i].topic = model_intern(m, l->elems[i].topic);
        v[i].partition = l->elems[i].partition;
    }
    *n = (uint32_t)l->cnt;
    return v;
}

static void describe_groups(struct live_client *c, rd_kafka_queue_t *q)
{
    struct model *m = c->m;
    if (!m->ngroups)
        return;
    const char **ids = xcalloc(m->ngroups, sizeof *ids);
    for (uint32_t i = 0; i < m->ngroups; i++)
        ids[i] = m->groups[i]->o.name;
    rd_kafka_AdminOptions_t *ao = live_admin_opts(c, q, RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS,
                                                  live_remaining(c), -1, NULL);
    rd_kafka_DescribeConsumerGroups(c->rk, ids, m->ngroups, ao, q);
    rd_kafka_AdminOptions_destroy(ao);
    free(ids);
    rd_kafka_event_t *ev = wait_type(c, q, RD_KAFKA_EVENT_DESCRIBECONSUMERGROUPS_RESULT);
    if (!ev) {
        live_warn(c, NULL, "DescribeGroups: no answer before the deadline; group states and "
                           "members unknown");
        return;
    }
    if (rd_kafka_event_error(ev)) {
        live_warn(c, NULL, "DescribeGroups failed: %s", rd_kafka_event_error_string(ev));
        rd_kafka_event_destroy(ev);
        return;
    }
    size_t n = 0;
    const rd_kafka_ConsumerGroupDescription_t **v = rd_kafka_DescribeConsumerGroups_result_groups(
        rd_kafka_event_DescribeConsumerGroups_result(ev), &n);
    for (size_t i = 0; i < n; i++) {
        const rd_kafka_ConsumerGroupDescription_t *d = v[i];
        struct group *g = model_find_group(m, rd_kafka_ConsumerGroupDescription_group_id(d));
        if (!g)
            continue;
        const rd_kafka_error_t *e = rd_kafka_ConsumerGroupDescription_error(d);
        if (e) {
            live_warn(c, &g->o, "DescribeGroups: %s", rd_kafka_error_string(e));
            continue;
        }
        size_t nm = rd_kafka_ConsumerGroupDescription_member_count(d);
        rd_kafka_consumer_group_state_t ds = rd_kafka_ConsumerGroupDescription_state(d);
        if (ds == RD_KAFKA_CONSUMER_GROUP_STATE_DEAD && nm == 0 && g->state &&
            strcmp(g->state, "Dead") != 0) {
            /* ListGroups listed it alive, DescribeGroups calls it Dead with
             * no error: a group of the consumer protocol (KIP-848).  Brokers
             * answer DescribeGroups below v6 for such a group with state
             * Dead and no error code (Kafka 4.x GroupMetadataManager), and
             * librdkafka 2.0.2 sends v4.  The listed state stands, its
             * committed offsets are still read; its members are unknown. */
            g->members_unknown = true;
            diag_add(&m->diags, DIAG_WARNING, DK_CLUSTER, LOC_NONE,
                     "group %s: its members are unknown: DescribeGroups (v4, the newest "
                     "librdkafka 2.0.2 sends) cannot describe a group of the consumer protocol "
                     "(KIP-848, group.protocol=consumer); its state is the one ListGroups "
                     "reports (%s) and its committed offsets are read",
                     g->o.name, g->state);
            if (c->st)
                c->st->errors++;
            continue;
        }
        g->state = rd_kafka_consumer_group_state_name(ds);
        g->simple = rd_kafka_ConsumerGroupDescription_is_simple_consumer_group(d);
        const char *a = rd_kafka_ConsumerGroupDescription_partition_assignor(d);
        if (a && *a)
            g->assignor = arena_strdup(&m->arena, a);
        const rd_kafka_Node_t *node = rd_kafka_ConsumerGroupDescription_coordinator(d);
        if (node)
            g->coordinator = rd_kafka_Node_id(node);
        g->members = nm ? ARENA_ARRAY(&m->arena, struct group_member, nm) : NULL;
        g->nmembers = 0;
        for (size_t j = 0; j < nm; j++) {
            const rd_kafka_MemberDescription_t *md = rd_kafka_ConsumerGroupDescription_member(d, j);
            if (!md)
                continue;
            struct group_member *gm = &g->members[g->nmembers++];
            const char *s;
            if ((s = rd_kafka_MemberDescription_consumer_id(md)))
                gm->member_id = arena_strdup(&m->arena, s);
            if ((s = rd_kafka_MemberDescription_client_id(md)))
                gm->client_id = arena_strdup(&m->arena, s);
            if ((s = rd_kafka_MemberDescription_host(md)))
                gm->host = arena_strdup(&m->arena, s);
            if ((s = rd_kafka_MemberDescription_group_instance_id(md)) && *s)
                gm->instance_id = arena_strdup(&m->arena, s);
            const rd_kafka_MemberAssignment_t *as = rd_kafka_MemberDescription_assignment(md);
            if (as)
                gm->assignment =
                    copy_tps(m, rd_kafka_MemberAssignment_partitions(as), &gm->nassignment);
        }
    }
    rd_kafka_event_destroy(ev);
}

/* ---- committed offsets --------------------------------------------------------- */

struct ostate {
    struct live_client *c;
    rd_kafka_queue_t *q;
    struct group **gv;
    uint32_t ng;
    uint8_t *st; /* 0 todo, 1 in flight, 2 answered, 3 failed */
    bool *explicit_list;
    /* the "all partitions" request came back empty and the explicit one
     * found commits this many times: the broker is old, ask explicitly
     * from the start for the remaining groups that must have offsets */
    uint32_t fallbacks_paid;
};

#define LEARN_AFTER 3

static rd_kafka_topic_partition_list_t *explicit_parts(struct model *m, const struct group *g)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < g->nmembers; i++)
        n += g->members[i].nassignment;
    rd_kafka_topic_partition_list_t *l;
    if (n) {
        l = rd_kafka_topic_partition_list_new((int)n);
        for (uint32_t i = 0; i < g->nmembers; i++)
            for (uint32_t j = 0; j < g->members[i].nassignment; j++)
                rd_kafka_topic_partition_list_add(l, g->members[i].assignment[j].topic,
                                                  g->members[i].assignment[j].partition);
        return l;
    }
    uint64_t all = 0;
    for (uint32_t i = 0; i < m->ntopics; i++)
        all += m->topics[i]->nparts;
    if (!all || all > FALLBACK_MAX_PARTITIONS)
        return NULL;
    l = rd_kafka_topic_partition_list_new((int)all);
    for (uint32_t i = 0; i < m->ntopics; i++)
        for (uint32_t j = 0; j < m->topics[i]->nparts; j++)
            rd_kafka_topic_partition_list_add(l, m->topics[i]->o.name, m->topics[i]->parts[j]->id);
    return l;
}

static bool suspicious_empty(const struct group *g);

static void send_offsets(struct ostate *s, uint32_t i)
{
    struct live_client *c = s->c;
    if (s->fallbacks_paid >= LEARN_AFTER && suspicious_empty(s->gv[i]))
        s->explicit_list[i] = true;
    rd_kafka_topic_partition_list_t *parts =
        s->explicit_list[i] ? explicit_parts(c->m, s->gv[i]) : NULL;
    rd_kafka_ListConsumerGroupOffsets_t *req =
        rd_kafka_ListConsumerGroupOffsets_new(s->gv[i]->o.name, parts);
    rd_kafka_AdminOptions_t *ao =
        live_admin_opts(c, s->q, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS, live_remaining(c), -1,
                        (void *)(uintptr_t)(i + 1));
    rd_kafka_ListConsumerGroupOffsets(c->rk, &req, 1, ao, s->q);
    rd_kafka_AdminOptions_destroy(ao);
    rd_kafka_ListConsumerGroupOffsets_destroy(req);
    if (parts)
        rd_kafka_topic_partition_list_destroy(parts);
    s->st[i] = 1;
}

/* all_parts: the list asked for every partition of the cluster (old-broker
 * fallback for a group without assignments): keep only real commits. */
static void store_offsets(struct model *m, struct group *g,
                          const rd_kafka_topic_partition_list_t *l, bool all_parts)
{
    g->noffsets = 0;
    g->offsets = NULL;
    if (!l || !l->cnt)
        return;
    g->offsets = ARENA_ARRAY(&m->arena, struct group_offset, (size_t)l->cnt);
    for (int i = 0; i < l->cnt; i++) {
        const rd_kafka_topic_partition_t *p = &l->elems[i];
        if (all_parts && p->offset < 0 && !p->err)
            continue;
        struct group_offset *o = &g->offsets[g->noffsets++];
        o->topic = model_intern(m, p->topic);
        o->t = model_find_topic(m, p->topic);
        o->partition = p->partition;
        o->committed = p->offset >= 0 ? p->offset : -1;
        if (p->err)
            o->error = rd_kafka_err2name(p->err);
    }
    qsort(g->offsets, g->noffsets, sizeof *g->offsets, cmp_offset);
}

/* Must the group have committed offsets although the answer had none? */
static bool suspicious_empty(const struct group *g)
{
    if (!g->state || strcmp(g->state, "Empty") == 0)
        return true; /* unknown state (no DescribeGroups): assume it has offsets */
    for (uint32_t i = 0; i < g->nmembers; i++)
        if (g->members[i].nassignment)
            return true;
    return false;
}

static void handle_offsets(struct ostate *s, rd_kafka_event_t *ev, uint32_t *retry)
{
    struct live_client *c = s->c;
    uintptr_t idx = (uintptr_t)rd_kafka_event_opaque(ev);
    if (idx == 0 || idx > s->ng || s->st[idx - 1] != 1)
        return;
    uint32_t i = (uint32_t)idx - 1;
    struct group *g = s->gv[i];
    if (rd_kafka_event_error(ev)) {
        s->st[i] = 3;
        live_warn(c, &g->o, "OffsetFetch: %s", rd_kafka_event_error_string(ev));
        return;
    }
    size_t n = 0;
    const rd_kafka_group_result_t **gr = rd_kafka_ListConsumerGroupOffsets_result_groups(
        rd_kafka_event_ListConsumerGroupOffsets_result(ev), &n);
    s->st[i] = 2;
    for (size_t k = 0; k < n; k++) {
        const rd_kafka_error_t *e = rd_kafka_group_result_error(gr[k]);
        if (e) {
            s->st[i] = 3;
            live_warn(c, &g->o, "OffsetFetch: %s", rd_kafka_error_string(e));
            continue;
        }
        const rd_kafka_topic_partition_list_t *l = rd_kafka_group_result_partitions(gr[k]);
        if ((!l || !l->cnt) && !s->explicit_list[i] && suspicious_empty(g)) {
            s->explicit_list[i] = true;
            s->st[i] = 0; /* ask again with explicit partitions (see top) */
            (*retry)++;
            return;
        }
        bool assigned = false;
        for (uint32_t a = 0; a < g->nmembers && !assigned; a++)
            assigned = g->members[a].nassignment > 0;
        store_offsets(c->m, g, l, s->explicit_list[i] && !assigned);
        if (s->explicit_list[i] && g->noffsets)
            s->fallbacks_paid++;
    }
}

static void committed_offsets(struct live_client *c)
{
    struct model *m = c->m;
    struct ostate s = {.c = c};
    s.gv = xcalloc(m->ngroups + 1, sizeof *s.gv);
    for (uint32_t i = 0; i < m->ngroups; i++) {
        struct group *g = m->groups[i];
        if (g->state && strcmp(g->state, "Dead") == 0)
            continue; /* does not exist */
        s.gv[s.ng++] = g;
    }
    s.st = xcalloc(s.ng + 1, 1);
    s.explicit_list = xcalloc(s.ng + 1, sizeof *s.explicit_list);
    s.q = live_queue_new(c);
    uint32_t window = (uint32_t)c->o.group_window, inflight = 0, next = 0, left = s.ng;
    while (left && !live_expired(c)) {
        while (inflight < window && next < s.ng) {
            if (s.st[next] == 0) {
                send_offsets(&s, next);
                inflight++;
            }
            next++;
        }
        rd_kafka_event_t *ev = live_wait(c, s.q);
        if (!ev)
            break;
        if (rd_kafka_event_type(ev) == RD_KAFKA_EVENT_LISTCONSUMERGROUPOFFSETS_RESULT) {
            uint32_t retry = 0;
            uintptr_t idx = (uintptr_t)rd_kafka_event_opaque(ev);
            handle_offsets(&s, ev, &retry);
            if (idx && idx <= s.ng) {
                inflight--;
                if (retry) {
                    send_offsets(&s, (uint32_t)idx - 1);
                    inflight++;
                } else {
                    left--;
                }
            }
        }
        rd_kafka_event_destroy(ev);
    }
    uint32_t nmiss = 0;
    for (uint32_t i = 0; i < s.ng; i++)
        nmiss += s.st[i] < 2;
    for (uint32_t i = 0; i < s.ng; i++) {
        if (s.st[i] >= 2)
            continue;
        if (nmiss <= 5) {
            live_warn(c, &s.gv[i]->o, "OffsetFetch: no answer before the deadline");
        } else {
            s.gv[i]->o.error = "OffsetFetch: no answer before the deadline";
            c->st->errors++;
        }
    }
    if (nmiss > 5)
        diag_add(&m->diags, DIAG_WARNING, DK_CLUSTER, LOC_NONE,
                 "OffsetFetch: the committed offsets of %u groups were not read before the "
                 "deadline",
                 nmiss);
    live_queue_release(c, s.q);
    free(s.gv);
    free(s.st);
    free(s.explicit_list);
}

void live_collect_groups(struct live_client *c)
{
    struct model *m = c->m;
    rd_kafka_queue_t *q = live_queue_new(c);
    for (int i = 0; i < c->o.ngroups; i++)
        model_group(m, c->o.groups[i], LOC_NONE, NULL);
    enum lg_result lr = list_groups(c, q, c->o.ngroups > 0);
    if (lr == LG_FAILED && !c->o.ngroups) {
        live_queue_release(c, q);
        return;
    }
    if (m->ngroups)
        qsort(m->groups, m->ngroups, sizeof *m->groups, cmp_group);
    for (uint32_t i = 0; i < m->ngroups; i++)
        m->groups[i]->o.index = i;
    if (!live_expired(c) && lr != LG_UNSUPPORTED)
        describe_groups(c, q);
    live_queue_release(c, q);
    if (c->o.ngroups)
        for (uint32_t i = 0; i < m->ngroups; i++) {
            struct group *g = m->groups[i];
            if (g->state && strcmp(g->state, "Dead") == 0)
                live_warn(c, &g->o, "no such consumer group (the coordinator reports it Dead)");
        }
    if (!live_expired(c))
        committed_offsets(c);
}
