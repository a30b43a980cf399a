#include "model/partition_state.h"
#include "model/effective.h"
#include "util/strutil.h"

int32_t partition_min_isr(const struct model *m, const struct partition *p)
{
    struct eff e;
    int64_t v;
    effective_get(m, &p->topic->o, "min.insync.replicas", &e);
    if (!e.value || str_to_i64(e.value, &v) || v < 0 || v > INT32_MAX)
        return -1;
    return (int32_t)v;
}

bool broker_is_live(const struct model *m, int32_t id)
{
    const struct broker *b = model_find_broker(m, id);
    return b && !b->down;
}

static bool gone(int32_t id, const int32_t *without, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (without[i] == id)
            return true;
    return false;
}

struct pstate partition_classify(const struct model *m, const struct partition *p, int32_t min_isr,
                                 const int32_t *without, uint32_t nwithout)
{
    struct pstate s = {0, min_isr, p->nreplicas, 0};
    int32_t isr = 0;
    for (uint16_t i = 0; i < p->nisr; i++)
        if (!gone(p->isr[i], without, nwithout))
            isr++;
    s.isr = isr;
    bool leader = p->leader >= 0 && !gone(p->leader, without, nwithout);
    /* Losing the leader: Kafka elects another ISR member if one remains. */
    if (!leader && p->leader >= 0 && isr > 0)
        leader = true;
    if (!leader)
        s.bits |= PS_NO_LEADER | PS_UNAVAILABLE | PS_UNDER_MIN_ISR;
    else if (p->leader >= 0 && !gone(p->leader, without, nwithout) && m->nbrokers > 0 &&
             !broker_is_live(m, p->leader))
        s.bits |= PS_UNAVAILABLE;
    if (p->nreplicas - isr > 0)
        s.bits |= PS_UNDER_REPLICATED;
    if (min_isr >= 0) {
        if (isr < min_isr)
            s.bits |= PS_UNDER_MIN_ISR;
        if (isr == min_isr)
            s.bits |= PS_AT_MIN_ISR;
    }
    return s;
}
