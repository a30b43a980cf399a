/*
 * catalog_data.c - the configuration-key table declared in catalog.h.
 *
 * One entry per (key name, family group).  A key that means the same thing
 * to several families is one entry with several family bits (SSL/SASL keys
 * shared by the broker and both Java clients; common Java client keys;
 * librdkafka global properties).  A name whose default differs between
 * families (Java receive.buffer.bytes / request.timeout.ms, broker vs topic
 * keys of the same name) has one entry per family.
 *
 * Conventions
 *   - defaults[] is ascending by .since; "0" = all versions.  Versions are
 *     Kafka / Java-client versions for CF_BROKER, CF_TOPIC, CF_JAVA_*, and
 *     librdkafka versions for CF_RDK_*.
 *   - ndefaults == 0: default not recorded (unknown, build-specific, or the
 *     entry is an alias / an API-only callback).  A default whose value is
 *     NULL means "known: null / unset".
 *   - librdkafka aliases (.alias_of) carry no defaults: resolve them with
 *     catalog_resolve() first.  librdkafka real names whose Java name differs
 *     carry it in .canonical (request.required.acks -> acks, ...).
 *   - .since / .removed are only set where the version is known from a
 *     source below.  catalog.h reads .since == NULL as "always"; here it
 *     often only means "not recorded" (keys added before the versions the
 *     sources cover, or whose first version was not checked), so a NULL
 *     .since must not be used to claim that an old version knows the key.
 *   - librdkafka properties that exist both globally and per topic
 *     (compression.codec, enable.auto.commit, auto.commit.interval.ms,
 *     offset.store.method, opaque) are recorded once with the global
 *     meaning and default.  The legacy topic property auto.commit.enable is
 *     its own entry.
 *   - Keys that only exist with a listener prefix (listener.name.X.*) are
 *     not listed; callers must strip the prefix before lookup.
 *
 * Source keys used in .ref:
 *
 *   apache/kafka (https://github.com/apache/kafka/blob/<tag>/<path>)
 *   K-PC@T            clients/.../producer/ProducerConfig.java @ tag T
 *                     (K-PC@trunk = commit 0106e705f28a, post-4.0 trunk)
 *   K-CC@T            clients/.../consumer/ConsumerConfig.java @ T
 *   K-CCC@3.7.0       clients/.../CommonClientConfigs.java @3.7.0
 *   K-KP@T            clients/.../producer/KafkaProducer.java @ T
 *   K-TC@3.8.0        clients/.../common/config/TopicConfig.java @3.8.0
 *   K-LogConfig@T     storage/.../internals/log/LogConfig.java @ T
 *                     (trunk = commit 017deec60609)
 *   K-STCS@T          server-common/.../config/ServerTopicConfigSynonyms.java
 *                     @ T (trunk = commit 0aaa99055724)
 *   K-SLC@3.8.0       server-common/.../config/ServerLogConfigs.java @3.8.0
 *   K-KConfig@T       core/src/main/scala/kafka/server/KafkaConfig.scala @ T
 *   K-RC@T            server/.../config/ReplicationConfigs.java @ T
 *   K-KRaftConfigs@trunk  server/.../config/KRaftConfigs.java @trunk
 *   K-GCC@T           group-coordinator/.../GroupCoordinatorConfig.java @ T
 *   K-OffsetConfig@T  core/.../coordinator/group/OffsetConfig.scala @ T
 *   K-TxnLog@T        core/.../coordinator/transaction/TransactionLog.scala @ T
 *   K-TLC@trunk       transaction-coordinator/.../TransactionLogConfig.java @trunk
 *   K-TSMC@3.8.0      transaction-coordinator/.../TransactionStateManagerConfigs.java
 *   K-UPG#x           docs/upgrade.html, "Notable changes in x"
 *                     (https://kafka.apache.org/documentation/#upgrade)
 *   K-CONF#dynamicbrokerconfigs  docs/configuration.html @3.8.0
 *   K-ZK2KRAFT@4.0    https://kafka.apache.org/40/getting-started/zk2kraft
 *                     (configurations removed with ZooKeeper mode in 4.0)
 *   K-BCFG@V          the "KafkaConfig values:" block that an Apache Kafka V
 *                     broker logs at start-up (AbstractConfig.logAll: every
 *                     defined non-internal key with its value), V = 3.7.0,
 *                     3.9.1, 4.3.0; used for the broker key list and for
 *                     defaults that the example server.properties does not
 *                     override.  "(absent)" = the key is not in that block.
 *   K-DEF             the ConfigDef that the Apache Kafka release jars from
 *                     Maven Central (org.apache.kafka:kafka_2.13, kafka-clients,
 *                     kafka-server, kafka-storage, ... at version V) define,
 *                     read through ConfigDef.configKeys(): the broker's
 *                     (kafka.server.KafkaConfig.configDef() up to 3.8,
 *                     org.apache.kafka.server.config.AbstractKafkaConfig.
 *                     CONFIG_DEF from 3.9), the topic's (kafka.log.LogConfig /
 *                     org.apache.kafka.storage.internals.log.LogConfig),
 *                     ProducerConfig's and ConsumerConfig's; V = 2.8.0,
 *                     3.0.0 ... 3.9.0, 3.9.2, 4.0.0 ... 4.4.0.  Source of the
 *                     .since / .removed of the broker, topic and Java client
 *                     entries (each .inc names the versions) and of the
 *                     defaults that cite it
 *   K-PCFG@4.1.1      the "ProducerConfig values:" block of kafka-clients 4.1.1
 *   K-CCFG@4.1.1      the "ConsumerConfig values:" block of kafka-clients 4.1.1
 *   PR16866           https://github.com/apache/kafka/pull/16866 (KRaft unclean
 *                     leader election, 3.9)
 *   ELR-doc           https://kafka.apache.org/40/operations/eligible-leader-replicas
 *   KIP-n             https://cwiki.apache.org/confluence/display/KAFKA/KIP-n
 *                     (the KIP that introduced the key or changed the default)
 *   KIP-1030-diff     KIP-1030 (4.0 default changes) page diff, see reference §7
 *   AIVEN-4.0         https://aiven.io/changelog/4f2cbe61-fd6b-4337-97b6-f07af1d303df
 *                     (Kafka 4.0: message.format.version and
 *                     log.message.timestamp.difference.max.ms removed)
 *
 *   confluentinc/librdkafka (https://github.com/confluentinc/librdkafka)
 *   R-CFG@vX          CONFIGURATION.md @ tag vX; R-CFG@v2.0.2 is also the
 *                     Debian librdkafka-dev copy (/usr/share/doc/librdkafka-dev/
 *                     CONFIGURATION.md.gz) from which the CF_RDK_* entries
 *                     were generated
 *   R-CFG@master      CONFIGURATION.md @ commit 0093671a0100 (post-v2.12):
 *                     properties added after v2.0.2
 *   R-CHG#vX          CHANGELOG.md, section vX
 *   R-C14000812c      commit 14000812c "Change producer default to acks=all"
 *   R-INTRO@v2.0.2    INTRODUCTION.md @v2.0.2
 *   R-PR4292          pull/4292  KIP-235 / client.dns.lookup (v2.2.0)
 *   R-PR4561          pull/4561  retry.backoff.* apply to both clients (KIP-580)
 *   R-PR4978          pull/4978  KIP-1139 OAuth jwt-bearer grant type (v2.11.0)
 *   R-PR4980          pull/4980  KIP-899 metadata.recovery.strategy
 *   R-PR4981          pull/4981  KIP-1102 rebootstrap trigger
 *   R-I5178           issues/5178 ("Since 2.11.0 KIP-1102 implementation ...")
 *   R-PR4986          pull/4986  socket.nagle.disable default true
 *   R-CKJS371         confluentinc/confluent-kafka-javascript pull/371 (Azure
 *                     IMDS OAuth, librdkafka v2.12.0)
 */
#include "model/catalog.h"

const struct cat_key catalog_keys[] = {

#include "model/catalog/shared_security.inc"
#include "model/catalog/java_clients.inc"
#include "model/catalog/broker.inc"
#include "model/catalog/topic.inc"
#include "model/catalog/librdkafka.inc"
};

const size_t catalog_nkeys = sizeof(catalog_keys) / sizeof(catalog_keys[0]);
