/*
 * client_semantics.h - apply the Java client's and librdkafka's own
 * configuration post-processing to a client (see client_semantics.c).
 */
#ifndef KA_CLIENT_SEMANTICS_H
#define KA_CLIENT_SEMANTICS_H

#include "model/model.h"

void client_semantics_apply(struct model *m, struct client *c);

#endif
