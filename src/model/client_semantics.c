/*
 * client_semantics.c - what the Java client and librdkafka do to a
 * producer or consumer configuration before they use it.
 *
 * The user writes acks=1 and nothing else; Java 3.6 then *silently*
 * turns its default idempotence off, and librdkafka would refuse to start
 * if enable.idempotence=true had also been written.  Rules must see the
 * configuration the client really runs with, so this file records:
 *   - derived settings (ORIG_DERIVED) with a note saying why, located at
 *     the setting that caused them, and
 *   - client->config_error when the client library rejects the
 *     configuration at start-up (ConfigException / rd_kafka_new() error).
 *
 * Sources:
 *   Java: KafkaProducer/ProducerConfig @0.11.0.0, 1.0.0, 2.8.0, 3.0.0,
 *         3.0.1, 3.8.0 (postProcessAndValidateIdempotenceConfigs,
 *         configureDeliveryTimeout); KAFKA-13598 (PR 11691), KAFKA-13673
 *         (PR 11788), KAFKA-17927 (PR 17717, 4.0); ConsumerConfig @3.8.0
 *         l.710-721 (auto-commit without group.id).
 *   librdkafka: src/rdkafka_conf.c @v2.0.2 l.3804-3880, 3926-4013.
 */
#include "model/client_semantics.h"
#include "model/effective.h"
#include "model/model.h"
#include "util/strutil.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct ctx {
    struct model *m;
    struct client *c;
    struct version v;
};

static bool explicit_(struct ctx *x, const char *key, const struct setting **out)
{
    struct eff e;
    effective_get(x->m, &x->c->o, key, &e);
    if (out)
        *out = e.set;
    /* a value a framework puts in the client's config is explicit to
     * the client, though no file spells it */
    return e.set && (e.origin == ORIG_FILE || e.origin == ORIG_LIVE ||
                     (e.origin == ORIG_DERIVED && e.set->injected));
}

static const char *val(struct ctx *x, const char *key)
{
    struct eff e;
    effective_get(x->m, &x->c->o, key, &e);
    return e.value;
}

static int64_t ival(struct ctx *x, const char *key, int64_t dflt)
{
    const char *s = val(x, key);
    int64_t v;
    double d;
    if (s && str_to_i64(s, &v) == 0)
        return v;
    if (s && str_to_double(s, &d) == 0)
        return (int64_t)d;
    return dflt;
}

static bool bval(struct ctx *x, const char *key)
{
    const char *s = val(x, key);
    bool b = false;
    return s && str_to_bool(s, &b) == 0 && b;
}

static struct loc loc_of(struct ctx *x, const char *key)
{
    const struct setting *s = NULL;
    if (explicit_(x, key, &s) && s->loc.file)
        return s->loc;
    return x->c->o.loc;
}

static bool ge(struct ctx *x, const char *v) { return version_ge(x->v, v); }

static void derive(struct ctx *x, const char *key, const char *value, struct loc loc,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void derive(struct ctx *x, const char *key, const char *value, struct loc loc,
                   const char *fmt, ...)
{
    char note[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(note, sizeof note, fmt, ap);
    va_end(ap);
    /* key is a rule-language name; store under the family's real name. */
    struct eff e;
    effective_get(x->m, &x->c->o, key, &e);
    struct setting *s = object_set(x->m, &x->c->o, e.real, value, ORIG_DERIVED, loc);
    s->note = arena_strdup(&x->m->arena, note);
}

static void reject(struct ctx *x, struct loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void reject(struct ctx *x, struct loc loc, const char *fmt, ...)
{
    if (x->c->config_error)
        return; /* the client stops at the first error too */
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    x->c->config_error = arena_strdup(&x->m->arena, msg);
    x->c->config_error_loc = loc;
}

static const char *acks_text(struct ctx *x)
{
    const char *a = val(x, "acks");
    return a ? a : "all";
}

static void java_delivery_timeout(struct ctx *x)
{
    if (!ge(x, "2.1.0"))
        return;
    int64_t d = ival(x, "delivery.timeout.ms", 120000);
    int64_t l = ival(x, "linger.ms", 0);
    int64_t r = ival(x, "request.timeout.ms", 30000);
    if (d >= l + r)
        return;
    if (explicit_(x, "delivery.timeout.ms", NULL)) {
        reject(x, loc_of(x, "delivery.timeout.ms"),
               "delivery.timeout.ms should be equal to or larger than linger.ms + "
               "request.timeout.ms (%" PRId64 " < %" PRId64 " + %" PRId64 ")",
               d, l, r);
    } else {
        char v[32];
        snprintf(v, sizeof v, "%" PRId64, l + r);
        derive(x, "delivery.timeout.ms", v,
               loc_of(x, explicit_(x, "request.timeout.ms", NULL) ? "request.timeout.ms"
                                                                  : "linger.ms"),
               "raised to linger.ms + request.timeout.ms by the Java client "
               "(KafkaProducer.configureDeliveryTimeout)");
    }
}

static void java_producer(struct ctx *x)
{
    const struct setting *ts = NULL;
    bool u_idem = explicit_(x, "enable.idempotence", NULL);
    bool v_idem = bval(x, "enable.idempotence");
    bool u_txn = explicit_(x, "transactional.id", &ts) && ts->value && ts->value[0];
    bool u_acks = explicit_(x, "acks", NULL);
    bool acks_all = strcmp(acks_text(x), "all") == 0;
    int64_t retries = ival(x, "retries", 2147483647);
    int64_t inflight = ival(x, "max.in.flight.requests.per.connection", 5);
    bool new_semantics = ge(x, "3.0.1") && !(ge(x, "3.1.0") && !ge(x, "3.1.1"));

    if (!new_semantics) {
        /* 0.11 .. 3.0.0 and 3.1.0: idempotence only when asked for. */
        bool idem = (u_idem && v_idem) || u_txn;
        if (u_idem && !v_idem && u_txn && ge(x, "1.0.0"))
            reject(x, loc_of(x, "transactional.id"),
                   "Cannot set a transactional.id without also enabling idempotence.");
        if (ge(x, "3.0.0") && !u_idem && !u_txn)
            derive(x, "enable.idempotence", "false", x->c->o.loc,
                   "Java client 3.0.0 and 3.1.0 ignore the default enable.idempotence=true "
                   "(KAFKA-13598, fixed in 3.0.1, 3.1.1 and 3.2.0)");
        if (idem && !u_idem)
            derive(x, "enable.idempotence", "true", loc_of(x, "transactional.id"),
                   "enabled by transactional.id");
        if (idem) {
            if (retries == 0)
                reject(x, loc_of(x, "retries"),
                       "Must set retries to non-zero when using the idempotent producer.");
            if (u_acks && !acks_all)
                reject(x, loc_of(x, "acks"),
                       "Must set acks to all in order to use the idempotent producer. "
                       "Otherwise we cannot guarantee idempotence.");
            else if (!acks_all)
                derive(x, "acks", "all", x->c->o.loc, "forced to all by idempotence");
            int64_t maxif = ge(x, "1.0.0") ? 5 : 1;
            if (inflight > maxif &&
                (ge(x, "1.0.0") || explicit_(x, "max.in.flight.requests.per.connection", NULL)))
                reject(x, loc_of(x, "max.in.flight.requests.per.connection"),
                       "Must set max.in.flight.requests.per.connection to at most %" PRId64
                       " to use the idempotent producer.",
                       maxif);
        }
    } else {
        /* 3.0.1+, 3.1.1+, 3.2+: default on, silently disabled by conflicts
         * unless the user asked for it explicitly. */
        bool idem = v_idem;
        if (idem) {
            const char *conflict = NULL;
            struct loc cl = x->c->o.loc;
            char what[128];
            if (inflight > 5) {
                snprintf(what, sizeof what, "max.in.flight.requests.per.connection=%" PRId64,
                         inflight);
                conflict = what;
                cl = loc_of(x, "max.in.flight.requests.per.connection");
                if (ge(x, "4.0.0") || u_idem)
                    reject(x, cl,
                           "To use the idempotent producer, "
                           "max.in.flight.requests.per.connection must be set to at most 5. "
                           "Current value is %" PRId64 ".",
                           inflight);
            }
            if (!acks_all) {
                snprintf(what, sizeof what, "acks=%s", acks_text(x));
                conflict = what;
                cl = loc_of(x, "acks");
                if (u_idem)
                    reject(x, cl,
                           "Must set acks to all in order to use the idempotent producer. "
                           "Otherwise we cannot guarantee idempotence.");
            }
            if (retries == 0) {
                snprintf(what, sizeof what, "retries=0");
                conflict = what;
                cl = loc_of(x, "retries");
                if (u_idem)
                    reject(x, cl,
                           "Must set retries to non-zero when using the idempotent producer.");
            }
            if (conflict && !u_idem) {
                derive(x, "enable.idempotence", "false", cl,
                       "default enable.idempotence=true silently disabled by %s "
                       "(Java client >= 3.0.1, KAFKA-13673)",
                       conflict);
                idem = false;
            }
        }
        if (u_txn && !idem)
            reject(x, loc_of(x, "transactional.id"),
                   "Cannot set a transactional.id without also enabling idempotence.");
    }
    java_delivery_timeout(x);
}

static void java_consumer(struct ctx *x)
{
    const struct setting *gs = NULL;
    bool has_group = (explicit_(x, "group.id", &gs) && gs->value && gs->value[0]) || x->c->group;
    if (has_group || x->c->group_elsewhere || !ge(x, "2.2.0"))
        return;
    if (explicit_(x, "enable.auto.commit", NULL)) {
        if (bval(x, "enable.auto.commit"))
            reject(x, loc_of(x, "enable.auto.commit"),
                   "enable.auto.commit cannot be set to true when default group id (null) is "
                   "used.");
    } else {
        derive(x, "enable.auto.commit", "false", x->c->o.loc,
               "disabled by the Java client because no group.id is set");
    }
}

static void rdk_producer(struct ctx *x)
{
    const struct setting *ts = NULL;
    bool u_idem = explicit_(x, "enable.idempotence", NULL);
    bool idem = bval(x, "enable.idempotence");
    bool txn = explicit_(x, "transactional.id", &ts) && ts->value && ts->value[0];

    if (txn && !idem) {
        if (u_idem)
            reject(x, loc_of(x, "enable.idempotence"),
                   "`transactional.id` requires `enable.idempotence=true`");
        else
            derive(x, "enable.idempotence", "true", loc_of(x, "transactional.id"),
                   "enabled by transactional.id (librdkafka)");
        idem = true;
    }
    if (idem) {
        int64_t inflight = ival(x, "max.in.flight.requests.per.connection", 1000000);
        if (explicit_(x, "max.in.flight.requests.per.connection", NULL)) {
            if (inflight > 5)
                reject(x, loc_of(x, "max.in.flight.requests.per.connection"),
                       "`max.in.flight` must be set <= 5 when `enable.idempotence` is true");
        } else if (inflight > 5) {
            derive(x, "max.in.flight.requests.per.connection", "5", loc_of(x, "enable.idempotence"),
                   "clamped to 5 by enable.idempotence (librdkafka)");
        }
        int64_t retries = ival(x, "retries", 2147483647);
        if (explicit_(x, "retries", NULL)) {
            if (retries < 1)
                reject(x, loc_of(x, "retries"),
                       "`retries` must be set >= 1 when `enable.idempotence` is true");
        } else if (retries < 1 || retries != 2147483647) {
            derive(x, "retries", "2147483647", loc_of(x, "enable.idempotence"),
                   "raised to INT32_MAX by enable.idempotence (librdkafka)");
        }
        if (explicit_(x, "acks", NULL)) {
            if (strcmp(acks_text(x), "all") != 0)
                reject(x, loc_of(x, "acks"),
                       "`acks` must be set to `all` when `enable.idempotence` is true");
        } else if (strcmp(acks_text(x), "all") != 0) {
            derive(x, "acks", "all", loc_of(x, "enable.idempotence"),
                   "forced to all by enable.idempotence (librdkafka)");
        }
    }
    if (!idem && explicit_(x, "enable.gapless.guarantee", NULL) &&
        bval(x, "enable.gapless.guarantee"))
        reject(x, loc_of(x, "enable.gapless.guarantee"),
               "`enable.gapless.guarantee` requires `enable.idempotence` to be enabled");

    if (txn) {
        int64_t tt = ival(x, "transaction.timeout.ms", 60000);
        if (explicit_(x, "delivery.timeout.ms", NULL)) {
            if (ival(x, "delivery.timeout.ms", 300000) > tt)
                reject(x, loc_of(x, "delivery.timeout.ms"),
                       "`message.timeout.ms` must be <= `transaction.timeout.ms`");
        } else {
            char v[32];
            snprintf(v, sizeof v, "%" PRId64, tt);
            derive(x, "delivery.timeout.ms", v, loc_of(x, "transactional.id"),
                   "message.timeout.ms defaults to transaction.timeout.ms for transactional "
                   "producers (librdkafka)");
        }
    }
    int64_t mt = ival(x, "delivery.timeout.ms", 300000);
    double linger = 0;
    const char *ls = val(x, "linger.ms");
    if (ls)
        str_to_double(ls, &linger);
    if (mt != 0 && (double)mt <= linger) {
        if (explicit_(x, "linger.ms", NULL))
            reject(x, loc_of(x, "linger.ms"),
                   "`message.timeout.ms` must be greater than `linger.ms`");
        else {
            char v[32];
            snprintf(v, sizeof v, "%.1f", (double)mt - 0.1);
            derive(x, "linger.ms", v, loc_of(x, "delivery.timeout.ms"),
                   "lowered below message.timeout.ms (librdkafka)");
        }
    }
}

void client_semantics_apply(struct model *m, struct client *c)
{
    struct ctx x = {m, c, object_version(m, &c->o)};
    if (c->ckind == CK_LIBRDKAFKA) {
        if (c->o.kind == OBJ_PRODUCER)
            rdk_producer(&x);
    } else {
        if (c->o.kind == OBJ_PRODUCER)
            java_producer(&x);
        else
            java_consumer(&x);
    }
}
