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

#include <inttypes.h>
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

enum lg_result { LG_OK, LG_FAILED, LG_UNSUPPORTED };

/* ListGroups on every broker.  With -g (only) the listing is not added to
 * the model: it still tells whether the brokers support the group APIs at
 * all.  librdkafka 2.0.2's DescribeConsumerGroups deadlocks its main thread
 * when a broker lacks DescribeGroups (seen with its own mock cluster), so we
 * only call it when ListGroups is supported. */
static enum lg_result list_groups(struct live_client *c, rd_kafka_queue_t *q, bool only)
{
    struct model *m = c->m;
    /* in a helper process, with its share of the deadline: a broker that
     * does not answer comes back as an error beside the other brokers'
     * listings, one whose answer crashes librdkafka's parser costs the
     * listing, not the command (live_listgroups.c) */
    struct lg_answer a;
    live_list_groups(c, q, &a);
    if (!a.answered) {
        live_warn(c, NULL, "ListGroups: %s; consumer groups unknown",
                  a.died[0] ? a.died : "no answer before the deadline");
        m->cluster.groups_partial = !only;
        lg_answer_free(&a);
        return LG_FAILED;
    }
    if (a.fail) {
        live_warn(c, NULL, "ListGroups failed: %s; consumer groups unknown",
                  a.fail_msg ? a.fail_msg : rd_kafka_err2str(a.fail));
        m->cluster.groups_partial = !only;
        lg_answer_free(&a);
        return LG_FAILED;
    }
    for (size_t i = 0; i < a.n; i++) {
        const char *id = a.v[i].id;
        struct group *g = only ? model_find_group(m, id) : model_group(m, id, LOC_NONE, NULL);
        if (!g)
            continue;
        g->state =
            rd_kafka_consumer_group_state_name((rd_kafka_consumer_group_state_t)a.v[i].state);
        g->simple = a.v[i].simple;
    }
    size_t unsupported = 0;
    for (size_t i = 0; i < a.ne; i++)
        unsupported += a.errs[i].code == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE;
    enum lg_result r = LG_OK;
    if (a.ne && unsupported == a.ne && a.n == 0) {
        live_warn(c, NULL,
                  "the brokers do not support ListGroups/DescribeGroups: consumer group "
                  "states and members unknown%s",
                  only ? "" : "; name the groups with -g to read their committed offsets");
        r = LG_UNSUPPORTED;
        m->cluster.groups_partial = !only;
    } else {
        if (a.ne)
            m->cluster.groups_partial = !only;
        for (size_t i = 0; i < a.ne; i++)
            live_warn(c, NULL, "ListGroups: %s; groups on that broker may be missing",
                      a.errs[i].msg);
    }
    lg_answer_free(&a);
    return r;
}

static struct tp *copy_tps(struct model *m, const rd_kafka_topic_partition_list_t *l, uint32_t *n)
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

/* ---- one admin request per group, windowed, retried ---------------------------
 *
 * DescribeConsumerGroups and ListConsumerGroupOffsets are sent one group
 * per call (librdkafka 2.0.2 fans a multi-group DescribeConsumerGroups out
 * per group anyway, and delivers nothing until the last coordinator
 * answered: one coordinator that does not answer would void every group's
 * description).  At most opts.group_window calls are in flight; each has
 * its share of the deadline as request timeout (live_share_ms), so a
 * coordinator that does not answer costs its own groups only.  Retriable
 * coordinator errors are asked again with backoff while the deadline
 * allows.  librdkafka 2.0.2 keeps a group's coordinator in a cache that a
 * NOT_COORDINATOR answer does not clear (rd_kafka_coord_req_fsm,
 * src/rdkafka_coord.c at v2.0.2), so after a real coordinator move the
 * retry may meet the old coordinator again: the group is then reported
 * unread, never read. */

enum gjob_state { GJ_TODO, GJ_INFLIGHT, GJ_WAIT, GJ_DONE, GJ_FAILED };
enum gverdict { GV_DONE, GV_RETRY, GV_AGAIN, GV_FAILED };

#define GROUP_MAX_TRIES 6

struct gjob {
    uint8_t st, tries;
    int64_t retry_at, sent_at;
    const char *why; /* GJ_FAILED: arena or static text */
};

struct grunner {
    struct live_client *c;
    rd_kafka_queue_t *q;
    struct group **gv;
    uint32_t ng;
    struct gjob *j;
    const char *api;
    void (*send)(struct grunner *r, uint32_t i);
    /* GV_DONE, GV_RETRY (retriable: with backoff), GV_AGAIN (ask again at
     * once, differently), GV_FAILED (j[i].why set) */
    enum gverdict (*handle)(struct grunner *r, uint32_t i, rd_kafka_event_t *ev);
    void *arg;
};

static bool retriable(rd_kafka_resp_err_t e)
{
    return e == RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS ||
           e == RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE ||
           e == RD_KAFKA_RESP_ERR_NOT_COORDINATOR || e == RD_KAFKA_RESP_ERR_UNSTABLE_OFFSET_COMMIT;
}

static void gfail(struct grunner *r, uint32_t i, const char *fmt, const char *what)
{
    r->j[i].why = arena_printf(&r->c->m->arena, fmt, what);
}

static void launch(struct grunner *r, uint32_t i, uint32_t *fl, uint32_t *inflight)
{
    r->j[i].st = GJ_INFLIGHT;
    r->j[i].sent_at = mono_ms();
    fl[(*inflight)++] = i;
    r->send(r, i);
}

static void land(uint32_t i, uint32_t *fl, uint32_t *inflight)
{
    for (uint32_t k = 0; k < *inflight; k++)
        if (fl[k] == i) {
            fl[k] = fl[--*inflight];
            return;
        }
}

static void run_groups(struct grunner *r)
{
    struct live_client *c = r->c;
    r->j = xcalloc(r->ng + 1, sizeof *r->j);
    uint32_t window = (uint32_t)c->o.group_window, inflight = 0, next = 0, left = r->ng, nwait = 0;
    uint32_t *fl = xcalloc(window + 1, sizeof *fl); /* the jobs in flight */
    int64_t share = live_share_ms(c);
    while (left && !live_expired(c)) {
        int64_t now = mono_ms(), wake = INT64_MAX;
        /* a request past its share of the deadline: its group is not
         * read, its slot goes to the next group (librdkafka keeps the
         * request: see live_admin_opts for why it is never timed out) */
        for (uint32_t k = 0; k < inflight;) {
            uint32_t i = fl[k];
            if (now - r->j[i].sent_at >= share) {
                r->j[i].st = GJ_FAILED;
                r->j[i].why =
                    arena_printf(&c->m->arena,
                                 "no answer within its share of --timeout (%" PRId64 " ms)", share);
                fl[k] = fl[--inflight];
                left--;
                continue;
            }
            if (r->j[i].sent_at + share < wake)
                wake = r->j[i].sent_at + share;
            k++;
        }
        if (nwait)
            for (uint32_t i = 0; i < r->ng && inflight < window; i++) {
                struct gjob *j = &r->j[i];
                if (j->st != GJ_WAIT)
                    continue;
                if (j->retry_at <= now) {
                    nwait--;
                    launch(r, i, fl, &inflight);
                } else if (j->retry_at < wake) {
                    wake = j->retry_at;
                }
            }
        while (inflight < window && next < r->ng) {
            if (r->j[next].st == GJ_TODO) {
                launch(r, next, fl, &inflight);
                if (r->j[next].sent_at + share < wake)
                    wake = r->j[next].sent_at + share;
            }
            next++;
        }
        if (!left)
            break;
        int max = wake == INT64_MAX ? INT32_MAX : (int)(wake - now < 0 ? 0 : wake - now);
        rd_kafka_event_t *ev = live_wait_ms(c, r->q, max);
        if (!ev)
            continue; /* a retry or a share is due, or the deadline passed */
        uintptr_t idx = (uintptr_t)rd_kafka_event_opaque(ev);
        if (idx && idx <= r->ng && r->j[idx - 1].st == GJ_INFLIGHT) {
            uint32_t i = (uint32_t)idx - 1;
            struct gjob *j = &r->j[i];
            land(i, fl, &inflight);
            enum gverdict v = r->handle(r, i, ev);
            j->tries++;
            if (v == GV_RETRY && j->tries >= GROUP_MAX_TRIES)
                v = GV_FAILED;
            if (v == GV_RETRY) {
                /* 100, 200, 400, 800, 1000 ms */
                int64_t back = 100LL << (j->tries - 1 < 4 ? j->tries - 1 : 4);
                if (back > 1000)
                    back = 1000;
                j->retry_at = mono_ms() + back;
                j->st = GJ_WAIT;
                nwait++;
            } else if (v == GV_AGAIN) {
                launch(r, i, fl, &inflight);
            } else {
                j->st = v == GV_DONE ? GJ_DONE : GJ_FAILED;
                left--;
            }
        }
        rd_kafka_event_destroy(ev);
    }
    free(fl);
    /* what failed, and what the deadline left unread */
    uint32_t nmiss = 0;
    for (uint32_t i = 0; i < r->ng; i++)
        nmiss += r->j[i].st != GJ_DONE;
    for (uint32_t i = 0; i < r->ng; i++) {
        struct gjob *j = &r->j[i];
        if (j->st == GJ_DONE)
            continue;
        const char *why = j->st == GJ_FAILED && j->why ? j->why : "no answer before the deadline";
        if (nmiss <= 5) {
            live_warn(c, &r->gv[i]->o, "%s: %s", r->api, why);
        } else {
            if (!r->gv[i]->o.error)
                r->gv[i]->o.error = arena_printf(&c->m->arena, "%s: %s", r->api, why);
            c->st->errors++;
        }
    }
    if (nmiss > 5)
        diag_add(&c->m->diags, DIAG_WARNING, DK_CLUSTER, LOC_NONE,
                 "%s: %u groups were not read (each says why)", r->api, nmiss);
}

/* ---- group descriptions ------------------------------------------------------- */

static void send_describe(struct grunner *r, uint32_t i)
{
    struct live_client *c = r->c;
    const char *id = r->gv[i]->o.name;
    rd_kafka_AdminOptions_t *ao = live_admin_opts(c, r->q, RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS,
                                                  LIVE_NO_TIMEOUT, -1, (void *)(uintptr_t)(i + 1));
    rd_kafka_DescribeConsumerGroups(c->rk, &id, 1, ao, r->q);
    rd_kafka_AdminOptions_destroy(ao);
}

static void store_description(struct live_client *c, struct group *g,
                              const rd_kafka_ConsumerGroupDescription_t *d, bool listed)
{
    struct model *m = c->m;
    const char *state =
        rd_kafka_consumer_group_state_name(rd_kafka_ConsumerGroupDescription_state(d));
    size_t nm = rd_kafka_ConsumerGroupDescription_member_count(d);
    if (listed && strcmp(state, "Dead") == 0 && nm == 0 &&
        !(g->state && strcmp(g->state, "Dead") == 0)) {
        /* ListGroups listed it alive, DescribeGroups calls it Dead with no
         * error: a group of the consumer protocol (KIP-848).  Brokers answer
         * DescribeGroups below v6 for such a group with state Dead and no
         * error code (Kafka 4.x GroupMetadataManager), and librdkafka 2.0.2
         * sends v4.  The listed state stands (NULL if the listing gave
         * none), its committed offsets are still read; its members are
         * unknown. */
        g->members_unknown = true;
        diag_add(&m->diags, DIAG_WARNING, DK_CLUSTER, LOC_NONE,
                 "group %s: its members are unknown: DescribeGroups (v4, the newest "
                 "librdkafka 2.0.2 sends) cannot describe a group of the consumer protocol "
                 "(KIP-848, group.protocol=consumer); its state is the one ListGroups "
                 "reports (%s) and its committed offsets are read",
                 g->o.name, g->state ? g->state : "none");
        /* no rule judges members: only what shows them (lag) is incomplete */
        return;
    }
    g->state = state;
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

static enum gverdict handle_describe(struct grunner *r, uint32_t i, rd_kafka_event_t *ev)
{
    struct group *g = r->gv[i];
    const bool *listed = r->arg;
    if (rd_kafka_event_error(ev)) {
        if (retriable(rd_kafka_event_error(ev)))
            return GV_RETRY;
        gfail(r, i, "%s", rd_kafka_event_error_string(ev));
        return GV_FAILED;
    }
    size_t n = 0;
    const rd_kafka_ConsumerGroupDescription_t **v = rd_kafka_DescribeConsumerGroups_result_groups(
        rd_kafka_event_DescribeConsumerGroups_result(ev), &n);
    for (size_t k = 0; k < n; k++) {
        const rd_kafka_ConsumerGroupDescription_t *d = v[k];
        if (strcmp(rd_kafka_ConsumerGroupDescription_group_id(d), g->o.name) != 0)
            continue;
        const rd_kafka_error_t *e = rd_kafka_ConsumerGroupDescription_error(d);
        if (e) {
            live_note_error(r->c, rd_kafka_error_code(e));
            if (retriable(rd_kafka_error_code(e)))
                return GV_RETRY;
            gfail(r, i, "%s", rd_kafka_error_string(e));
            return GV_FAILED;
        }
        store_description(r->c, g, d, listed && listed[g->o.index]);
        return GV_DONE;
    }
    gfail(r, i, "%s", "the answer does not describe it");
    return GV_FAILED;
}

static void describe_groups(struct live_client *c, rd_kafka_queue_t *q, const bool *listed)
{
    struct model *m = c->m;
    if (!m->ngroups)
        return;
    struct grunner r = {.c = c,
                        .q = q,
                        .gv = m->groups,
                        .ng = m->ngroups,
                        .api = "DescribeGroups",
                        .send = send_describe,
                        .handle = handle_describe,
                        .arg = (void *)listed};
    run_groups(&r);
    free(r.j);
}

/* ---- committed offsets --------------------------------------------------------- */

struct ostate {
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

static void send_offsets(struct grunner *r, uint32_t i)
{
    struct live_client *c = r->c;
    struct ostate *s = r->arg;
    if (s->fallbacks_paid >= LEARN_AFTER && suspicious_empty(r->gv[i]))
        s->explicit_list[i] = true;
    rd_kafka_topic_partition_list_t *parts =
        s->explicit_list[i] ? explicit_parts(c->m, r->gv[i]) : NULL;
    rd_kafka_ListConsumerGroupOffsets_t *req =
        rd_kafka_ListConsumerGroupOffsets_new(r->gv[i]->o.name, parts);
    rd_kafka_AdminOptions_t *ao =
        live_admin_opts(c, r->q, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS, LIVE_NO_TIMEOUT, -1,
                        (void *)(uintptr_t)(i + 1));
    rd_kafka_ListConsumerGroupOffsets(c->rk, &req, 1, ao, r->q);
    rd_kafka_AdminOptions_destroy(ao);
    rd_kafka_ListConsumerGroupOffsets_destroy(req);
    if (parts)
        rd_kafka_topic_partition_list_destroy(parts);
}

/* all_parts: the list asked for every partition of the cluster (old-broker
 * fallback for a group without assignments): keep only real commits.
 * Returns the partitions that came back with an error, first in *err. */
static uint32_t store_offsets(struct model *m, struct group *g,
                              const rd_kafka_topic_partition_list_t *l, bool all_parts,
                              rd_kafka_resp_err_t *err)
{
    uint32_t nerr = 0;
    g->noffsets = 0;
    g->offsets = NULL;
    if (!l || !l->cnt)
        return 0;
    g->offsets = ARENA_ARRAY(&m->arena, struct group_offset, (size_t)l->cnt);
    for (int i = 0; i < l->cnt; i++) {
        const rd_kafka_topic_partition_t *p = &l->elems[i];
        if (all_parts && p->offset < 0 && !p->err)
            continue;
        struct group_offset *o = &g->offsets[g->noffsets++];
        o->topic = model_intern(m, p->topic);
        o->t = model_find_topic(m, p->topic);
        o->partition = p->partition;
        o->committed = p->offset >= 0 && !p->err ? p->offset : -1;
        if (p->err) {
            o->error = rd_kafka_err2name(p->err);
            if (!nerr++)
                *err = p->err;
        }
    }
    qsort(g->offsets, g->noffsets, sizeof *g->offsets, cmp_offset);
    return nerr;
}

static enum gverdict handle_offsets(struct grunner *r, uint32_t i, rd_kafka_event_t *ev)
{
    struct live_client *c = r->c;
    struct ostate *s = r->arg;
    struct group *g = r->gv[i];
    if (rd_kafka_event_error(ev)) {
        if (retriable(rd_kafka_event_error(ev)))
            return GV_RETRY;
        gfail(r, i, "%s", rd_kafka_event_error_string(ev));
        return GV_FAILED;
    }
    size_t n = 0;
    const rd_kafka_group_result_t **gr = rd_kafka_ListConsumerGroupOffsets_result_groups(
        rd_kafka_event_ListConsumerGroupOffsets_result(ev), &n);
    if (!n) {
        gfail(r, i, "%s", "the answer does not mention the group");
        return GV_FAILED;
    }
    const rd_kafka_error_t *e = rd_kafka_group_result_error(gr[0]);
    if (e) {
        live_note_error(c, rd_kafka_error_code(e));
        if (retriable(rd_kafka_error_code(e)))
            return GV_RETRY;
        gfail(r, i, "%s", rd_kafka_error_string(e));
        return GV_FAILED;
    }
    const rd_kafka_topic_partition_list_t *l = rd_kafka_group_result_partitions(gr[0]);
    if ((!l || !l->cnt) && !s->explicit_list[i] && suspicious_empty(g)) {
        s->explicit_list[i] = true;
        return GV_AGAIN; /* ask again with explicit partitions (see top) */
    }
    if (l)
        for (int k = 0; k < l->cnt; k++)
            if (l->elems[k].err == RD_KAFKA_RESP_ERR_UNSTABLE_OFFSET_COMMIT &&
                r->j[i].tries + 1 < GROUP_MAX_TRIES)
                return GV_RETRY; /* a transaction commits offsets right now */
    bool assigned = false;
    for (uint32_t a = 0; a < g->nmembers && !assigned; a++)
        assigned = g->members[a].nassignment > 0;
    rd_kafka_resp_err_t perr = 0;
    uint32_t nerr = store_offsets(c->m, g, l, s->explicit_list[i] && !assigned, &perr);
    if (s->explicit_list[i] && g->noffsets)
        s->fallbacks_paid++;
    if (nerr) {
        /* read, but not all of it: those partitions' lag is unknown */
        live_warn(c, &g->o, "OffsetFetch: %u partition%s not read: %s", nerr, nerr == 1 ? "" : "s",
                  rd_kafka_err2name(perr));
    }
    return GV_DONE;
}

static void committed_offsets(struct live_client *c)
{
    struct model *m = c->m;
    struct group **gv = xcalloc(m->ngroups + 1, sizeof *gv);
    uint32_t ng = 0;
    for (uint32_t i = 0; i < m->ngroups; i++) {
        struct group *g = m->groups[i];
        if (g->state && strcmp(g->state, "Dead") == 0)
            continue; /* does not exist */
        gv[ng++] = g;
    }
    struct ostate s = {.explicit_list = xcalloc(ng + 1, sizeof *s.explicit_list)};
    struct grunner r = {.c = c,
                        .gv = gv,
                        .ng = ng,
                        .api = "OffsetFetch",
                        .send = send_offsets,
                        .handle = handle_offsets,
                        .arg = &s};
    r.q = live_queue_new(c);
    run_groups(&r);
    live_queue_release(c, r.q);
    free(r.j);
    free(gv);
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
    /* which groups ListGroups listed (they exist, whatever DescribeGroups says) */
    bool *listed = xcalloc(m->ngroups + 1, sizeof *listed);
    for (uint32_t i = 0; i < m->ngroups; i++) {
        m->groups[i]->o.index = i;
        listed[i] = m->groups[i]->state != NULL;
    }
    if (!live_expired(c) && lr != LG_UNSUPPORTED)
        describe_groups(c, q, listed);
    free(listed);
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
