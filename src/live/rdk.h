/*
 * rdk.h - librdkafka, loaded when a command first talks to a cluster.
 *
 * Only the live commands (and lint/check with -b) use librdkafka, but
 * linking it makes every start of kafkaudit map it and its TLS, SASL and
 * compression libraries: 'kafkaudit --version' took 2.4 ms with it, 1.2
 * without, and every lint pays that.  So src/live/ calls librdkafka through
 * pointers that rdk_load() fills from dlopen(KAFKAUDIT_RDKAFKA_SONAME, or
 * the file named by the environment variable KAFKAUDIT_LIBRDKAFKA).
 * The code reads as plain librdkafka calls: each name below is a macro for
 * its pointer.  A function used in src/live/ must be listed in RDK_FUNCS
 * and defined as its pointer below (the kafkaudit binary does not link
 * librdkafka, so an unlisted function fails its link; rdk.c fails to
 * compile when a listed one lacks its define).
 */
#ifndef KA_RDK_H
#define KA_RDK_H

#include <librdkafka/rdkafka.h>
#include <stddef.h>

#define RDK_FUNCS(X)                                                                       \
    X(rd_kafka_AdminOptions_destroy)                                                       \
    X(rd_kafka_AdminOptions_new)                                                           \
    X(rd_kafka_AdminOptions_set_broker)                                                    \
    X(rd_kafka_AdminOptions_set_opaque)                                                    \
    X(rd_kafka_AdminOptions_set_request_timeout)                                           \
    X(rd_kafka_ConfigEntry_is_sensitive)                                                   \
    X(rd_kafka_ConfigEntry_name)                                                           \
    X(rd_kafka_ConfigEntry_source)                                                         \
    X(rd_kafka_ConfigEntry_synonyms)                                                       \
    X(rd_kafka_ConfigEntry_value)                                                          \
    X(rd_kafka_ConfigResource_configs)                                                     \
    X(rd_kafka_ConfigResource_destroy_array)                                               \
    X(rd_kafka_ConfigResource_error)                                                       \
    X(rd_kafka_ConfigResource_error_string)                                                \
    X(rd_kafka_ConfigResource_name)                                                        \
    X(rd_kafka_ConfigResource_new)                                                         \
    X(rd_kafka_ConfigResource_type)                                                        \
    X(rd_kafka_ConsumerGroupDescription_coordinator)                                       \
    X(rd_kafka_ConsumerGroupDescription_error)                                             \
    X(rd_kafka_ConsumerGroupDescription_group_id)                                          \
    X(rd_kafka_ConsumerGroupDescription_is_simple_consumer_group)                          \
    X(rd_kafka_ConsumerGroupDescription_member)                                            \
    X(rd_kafka_ConsumerGroupDescription_member_count)                                      \
    X(rd_kafka_ConsumerGroupDescription_partition_assignor)                                \
    X(rd_kafka_ConsumerGroupDescription_state)                                             \
    X(rd_kafka_ConsumerGroupListing_group_id)                                              \
    X(rd_kafka_ConsumerGroupListing_is_simple_consumer_group)                              \
    X(rd_kafka_ConsumerGroupListing_state)                                                 \
    X(rd_kafka_DescribeConfigs)                                                            \
    X(rd_kafka_DescribeConfigs_result_resources)                                           \
    X(rd_kafka_DescribeConsumerGroups)                                                     \
    X(rd_kafka_DescribeConsumerGroups_result_groups)                                       \
    X(rd_kafka_ListConsumerGroupOffsets)                                                   \
    X(rd_kafka_ListConsumerGroupOffsets_destroy)                                           \
    X(rd_kafka_ListConsumerGroupOffsets_new)                                               \
    X(rd_kafka_ListConsumerGroupOffsets_result_groups)                                     \
    X(rd_kafka_ListConsumerGroups)                                                         \
    X(rd_kafka_ListConsumerGroups_result_errors)                                           \
    X(rd_kafka_ListConsumerGroups_result_valid)                                            \
    X(rd_kafka_MemberAssignment_partitions)                                                \
    X(rd_kafka_MemberDescription_assignment)                                               \
    X(rd_kafka_MemberDescription_client_id)                                                \
    X(rd_kafka_MemberDescription_consumer_id)                                              \
    X(rd_kafka_MemberDescription_group_instance_id)                                        \
    X(rd_kafka_MemberDescription_host)                                                     \
    X(rd_kafka_Node_id)                                                                    \
    X(rd_kafka_clusterid)                                                                  \
    X(rd_kafka_conf_destroy)                                                               \
    X(rd_kafka_conf_get)                                                                   \
    X(rd_kafka_conf_new)                                                                   \
    X(rd_kafka_conf_set)                                                                   \
    X(rd_kafka_conf_set_error_cb)                                                          \
    X(rd_kafka_conf_set_log_cb)                                                            \
    X(rd_kafka_conf_set_opaque)                                                            \
    X(rd_kafka_consumer_group_state_name)                                                  \
    X(rd_kafka_controllerid)                                                               \
    X(rd_kafka_destroy_flags)                                                              \
    X(rd_kafka_err2name)                                                                   \
    X(rd_kafka_err2str)                                                                    \
    X(rd_kafka_error_code)                                                                 \
    X(rd_kafka_error_string)                                                               \
    X(rd_kafka_event_DescribeConfigs_result)                                               \
    X(rd_kafka_event_DescribeConsumerGroups_result)                                        \
    X(rd_kafka_event_ListConsumerGroupOffsets_result)                                      \
    X(rd_kafka_event_ListConsumerGroups_result)                                            \
    X(rd_kafka_event_destroy)                                                              \
    X(rd_kafka_event_error)                                                                \
    X(rd_kafka_event_error_string)                                                         \
    X(rd_kafka_event_opaque)                                                               \
    X(rd_kafka_event_type)                                                                 \
    X(rd_kafka_group_result_error)                                                         \
    X(rd_kafka_group_result_partitions)                                                    \
    X(rd_kafka_mem_free)                                                                   \
    X(rd_kafka_metadata)                                                                   \
    X(rd_kafka_metadata_destroy)                                                           \
    X(rd_kafka_new)                                                                        \
    X(rd_kafka_offsets_for_times)                                                          \
    X(rd_kafka_opaque)                                                                     \
    X(rd_kafka_poll)                                                                       \
    X(rd_kafka_queue_destroy)                                                              \
    X(rd_kafka_queue_new)                                                                  \
    X(rd_kafka_queue_poll)                                                                 \
    X(rd_kafka_topic_partition_list_add)                                                   \
    X(rd_kafka_topic_partition_list_destroy)                                               \
    X(rd_kafka_topic_partition_list_find)                                                  \
    X(rd_kafka_topic_partition_list_new)                                                   \
    X(rd_kafka_topic_partition_list_sort)                                                  \
    X(rd_kafka_version_str)

/* Load librdkafka once (thread-safe; later calls return the first
 * outcome).  0 on success; -1 with a message in err (the library's name
 * and dlerror()'s reason), in which case no rd_kafka_ function may be
 * called. */
int rdk_load(char *err, size_t errsz);

#ifndef RDK_NO_MACROS
#define RDK_DECLARE(f) extern __typeof__(f) *rdk_##f;
RDK_FUNCS(RDK_DECLARE)
#undef RDK_DECLARE
/* every name of RDK_FUNCS (rdk.c checks that none is missing) */
#define rd_kafka_AdminOptions_destroy rdk_rd_kafka_AdminOptions_destroy
#define rd_kafka_AdminOptions_new rdk_rd_kafka_AdminOptions_new
#define rd_kafka_AdminOptions_set_broker rdk_rd_kafka_AdminOptions_set_broker
#define rd_kafka_AdminOptions_set_opaque rdk_rd_kafka_AdminOptions_set_opaque
#define rd_kafka_AdminOptions_set_request_timeout rdk_rd_kafka_AdminOptions_set_request_timeout
#define rd_kafka_ConfigEntry_is_sensitive rdk_rd_kafka_ConfigEntry_is_sensitive
#define rd_kafka_ConfigEntry_name rdk_rd_kafka_ConfigEntry_name
#define rd_kafka_ConfigEntry_source rdk_rd_kafka_ConfigEntry_source
#define rd_kafka_ConfigEntry_synonyms rdk_rd_kafka_ConfigEntry_synonyms
#define rd_kafka_ConfigEntry_value rdk_rd_kafka_ConfigEntry_value
#define rd_kafka_ConfigResource_configs rdk_rd_kafka_ConfigResource_configs
#define rd_kafka_ConfigResource_destroy_array rdk_rd_kafka_ConfigResource_destroy_array
#define rd_kafka_ConfigResource_error rdk_rd_kafka_ConfigResource_error
#define rd_kafka_ConfigResource_error_string rdk_rd_kafka_ConfigResource_error_string
#define rd_kafka_ConfigResource_name rdk_rd_kafka_ConfigResource_name
#define rd_kafka_ConfigResource_new rdk_rd_kafka_ConfigResource_new
#define rd_kafka_ConfigResource_type rdk_rd_kafka_ConfigResource_type
#define rd_kafka_ConsumerGroupDescription_coordinator rdk_rd_kafka_ConsumerGroupDescription_coordinator
#define rd_kafka_ConsumerGroupDescription_error rdk_rd_kafka_ConsumerGroupDescription_error
#define rd_kafka_ConsumerGroupDescription_group_id rdk_rd_kafka_ConsumerGroupDescription_group_id
#define rd_kafka_ConsumerGroupDescription_is_simple_consumer_group rdk_rd_kafka_ConsumerGroupDescription_is_simple_consumer_group
#define rd_kafka_ConsumerGroupDescription_member rdk_rd_kafka_ConsumerGroupDescription_member
#define rd_kafka_ConsumerGroupDescription_member_count rdk_rd_kafka_ConsumerGroupDescription_member_count
#define rd_kafka_ConsumerGroupDescription_partition_assignor rdk_rd_kafka_ConsumerGroupDescription_partition_assignor
#define rd_kafka_ConsumerGroupDescription_state rdk_rd_kafka_ConsumerGroupDescription_state
#define rd_kafka_ConsumerGroupListing_group_id rdk_rd_kafka_ConsumerGroupListing_group_id
#define rd_kafka_ConsumerGroupListing_is_simple_consumer_group rdk_rd_kafka_ConsumerGroupListing_is_simple_consumer_group
#define rd_kafka_ConsumerGroupListing_state rdk_rd_kafka_ConsumerGroupListing_state
#define rd_kafka_DescribeConfigs rdk_rd_kafka_DescribeConfigs
#define rd_kafka_DescribeConfigs_result_resources rdk_rd_kafka_DescribeConfigs_result_resources
#define rd_kafka_DescribeConsumerGroups rdk_rd_kafka_DescribeConsumerGroups
#define rd_kafka_DescribeConsumerGroups_result_groups rdk_rd_kafka_DescribeConsumerGroups_result_groups
#define rd_kafka_ListConsumerGroupOffsets rdk_rd_kafka_ListConsumerGroupOffsets
#define rd_kafka_ListConsumerGroupOffsets_destroy rdk_rd_kafka_ListConsumerGroupOffsets_destroy
#define rd_kafka_ListConsumerGroupOffsets_new rdk_rd_kafka_ListConsumerGroupOffsets_new
#define rd_kafka_ListConsumerGroupOffsets_result_groups rdk_rd_kafka_ListConsumerGroupOffsets_result_groups
#define rd_kafka_ListConsumerGroups rdk_rd_kafka_ListConsumerGroups
#define rd_kafka_ListConsumerGroups_result_errors rdk_rd_kafka_ListConsumerGroups_result_errors
#define rd_kafka_ListConsumerGroups_result_valid rdk_rd_kafka_ListConsumerGroups_result_valid
#define rd_kafka_MemberAssignment_partitions rdk_rd_kafka_MemberAssignment_partitions
#define rd_kafka_MemberDescription_assignment rdk_rd_kafka_MemberDescription_assignment
#define rd_kafka_MemberDescription_client_id rdk_rd_kafka_MemberDescription_client_id
#define rd_kafka_MemberDescription_consumer_id rdk_rd_kafka_MemberDescription_consumer_id
#define rd_kafka_MemberDescription_group_instance_id rdk_rd_kafka_MemberDescription_group_instance_id
#define rd_kafka_MemberDescription_host rdk_rd_kafka_MemberDescription_host
#define rd_kafka_Node_id rdk_rd_kafka_Node_id
#define rd_kafka_clusterid rdk_rd_kafka_clusterid
#define rd_kafka_conf_destroy rdk_rd_kafka_conf_destroy
#define rd_kafka_conf_get rdk_rd_kafka_conf_get
#define rd_kafka_conf_new rdk_rd_kafka_conf_new
#define rd_kafka_conf_set rdk_rd_kafka_conf_set
#define rd_kafka_conf_set_error_cb rdk_rd_kafka_conf_set_error_cb
#define rd_kafka_conf_set_log_cb rdk_rd_kafka_conf_set_log_cb
#define rd_kafka_conf_set_opaque rdk_rd_kafka_conf_set_opaque
#define rd_kafka_consumer_group_state_name rdk_rd_kafka_consumer_group_state_name
#define rd_kafka_controllerid rdk_rd_kafka_controllerid
#define rd_kafka_destroy_flags rdk_rd_kafka_destroy_flags
#define rd_kafka_err2name rdk_rd_kafka_err2name
#define rd_kafka_err2str rdk_rd_kafka_err2str
#define rd_kafka_error_code rdk_rd_kafka_error_code
#define rd_kafka_error_string rdk_rd_kafka_error_string
#define rd_kafka_event_DescribeConfigs_result rdk_rd_kafka_event_DescribeConfigs_result
#define rd_kafka_event_DescribeConsumerGroups_result rdk_rd_kafka_event_DescribeConsumerGroups_result
#define rd_kafka_event_ListConsumerGroupOffsets_result rdk_rd_kafka_event_ListConsumerGroupOffsets_result
#define rd_kafka_event_ListConsumerGroups_result rdk_rd_kafka_event_ListConsumerGroups_result
#define rd_kafka_event_destroy rdk_rd_kafka_event_destroy
#define rd_kafka_event_error rdk_rd_kafka_event_error
#define rd_kafka_event_error_string rdk_rd_kafka_event_error_string
#define rd_kafka_event_opaque rdk_rd_kafka_event_opaque
#define rd_kafka_event_type rdk_rd_kafka_event_type
#define rd_kafka_group_result_error rdk_rd_kafka_group_result_error
#define rd_kafka_group_result_partitions rdk_rd_kafka_group_result_partitions
#define rd_kafka_mem_free rdk_rd_kafka_mem_free
#define rd_kafka_metadata rdk_rd_kafka_metadata
#define rd_kafka_metadata_destroy rdk_rd_kafka_metadata_destroy
#define rd_kafka_new rdk_rd_kafka_new
#define rd_kafka_offsets_for_times rdk_rd_kafka_offsets_for_times
#define rd_kafka_opaque rdk_rd_kafka_opaque
#define rd_kafka_poll rdk_rd_kafka_poll
#define rd_kafka_queue_destroy rdk_rd_kafka_queue_destroy
#define rd_kafka_queue_new rdk_rd_kafka_queue_new
#define rd_kafka_queue_poll rdk_rd_kafka_queue_poll
#define rd_kafka_topic_partition_list_add rdk_rd_kafka_topic_partition_list_add
#define rd_kafka_topic_partition_list_destroy rdk_rd_kafka_topic_partition_list_destroy
#define rd_kafka_topic_partition_list_find rdk_rd_kafka_topic_partition_list_find
#define rd_kafka_topic_partition_list_new rdk_rd_kafka_topic_partition_list_new
#define rd_kafka_topic_partition_list_sort rdk_rd_kafka_topic_partition_list_sort
#define rd_kafka_version_str rdk_rd_kafka_version_str
#endif

#endif
