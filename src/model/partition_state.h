/*
 * partition_state.h - classify a partition exactly as Kafka's own
 * kafka-topics.sh does (apache/kafka
 * tools/src/main/java/org/apache/kafka/tools/TopicCommand.java@3.8.0,
 * ~l.331-353):
 *
 *   under-replicated:  RF - |ISR| > 0   (RF = number of replicas)
 *   under-min-ISR:     no leader, or |ISR| < min.insync.replicas
 *   at-min-ISR:        |ISR| == min.insync.replicas
 *   unavailable:       no leader, or the leader is not a live broker
 *
 * plus what a what-if analysis needs: the same predicates with some
 * brokers removed ("can I restart broker 2 now?").
 *
 * Kafka 3.7+ caps an effective min.insync.replicas above RF at RF
 * (KAFKA-15583); kafka-topics.sh compares with the configured value, and
 * so do we, to stay identical to the tool operators know.
 */
#ifndef KA_PARTITION_STATE_H
#define KA_PARTITION_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "model/model.h"

enum pstate_bits {
    PS_UNDER_REPLICATED = 1u << 0,
    PS_UNDER_MIN_ISR = 1u << 1,
    PS_AT_MIN_ISR = 1u << 2,
    PS_UNAVAILABLE = 1u << 3,
    PS_NO_LEADER = 1u << 4,
};

struct pstate {
    uint32_t bits;
    int32_t min_isr; /* effective topic min.insync.replicas; -1 unknown */
    int32_t rf;
    int32_t isr;
};

/* Effective min.insync.replicas of the partition's topic (-1 if unknown). */
int32_t partition_min_isr(const struct model *m, const struct partition *p);
bool broker_is_live(const struct model *m, int32_t id);
/* Classify; without: broker ids assumed gone (NULL/0 for none). */
struct pstate partition_classify(const struct model *m, const struct partition *p, int32_t min_isr,
                                 const int32_t *without, uint32_t nwithout);

#endif
