"""Broker/topic configuration model for the scenario broker's DescribeConfigs.

Mirrors what a ZooKeeper-mode Kafka broker does in ConfigHelper /
AdminManager.describeConfigs (createBrokerConfigEntry,
createTopicConfigEntry, configSynonyms):

  * a broker config value comes from the first layer that defines it:
    per-broker dynamic (DYNAMIC_BROKER_CONFIG = 2), cluster-wide dynamic
    default (DYNAMIC_DEFAULT_BROKER_CONFIG = 3), server.properties
    (STATIC_BROKER_CONFIG = 4), built-in default (DEFAULT_CONFIG = 5);
  * synonyms are listed layer by layer (2, 3, 4, 5), and within a layer in
    synonym order (e.g. log.retention.ms, .minutes, .hours); then everything
    before the first synonym with the described name is dropped
    (`allSynonyms.dropWhile(s => s.name != name)`);
  * the entry's config_source is the first synonym's source, or
    DEFAULT_CONFIG if there are none;
  * topic entries prepend a TOPIC_CONFIG (= 1, "DYNAMIC_TOPIC_CONFIG") synonym
    when the topic overrides the config; the non-overridden value is derived
    from the broker synonyms (e.g. log.retention.hours * 3600000);
  * sensitive values (and their synonyms' values) are returned as null;
  * read_only is true for broker configs that cannot be updated dynamically,
    false for all topic configs.
"""

SOURCE_TOPIC = 1
SOURCE_DYNAMIC_BROKER = 2
SOURCE_DYNAMIC_DEFAULT = 3
SOURCE_STATIC = 4
SOURCE_DEFAULT = 5
SOURCE_NAMES = {0: 'UNKNOWN_CONFIG', 1: 'DYNAMIC_TOPIC_CONFIG',
                2: 'DYNAMIC_BROKER_CONFIG', 3: 'DYNAMIC_DEFAULT_BROKER_CONFIG',
                4: 'STATIC_BROKER_CONFIG', 5: 'DEFAULT_CONFIG',
                6: 'DYNAMIC_BROKER_LOGGER_CONFIG'}

RESOURCE_TOPIC = 2
RESOURCE_BROKER = 4
RESOURCE_BROKER_LOGGER = 8

# name: (built-in default as string or None, read_only, sensitive)
# read_only == "not in DynamicBrokerConfig.AllDynamicConfigs".
BROKER_CONFIGS = {
    'advertised.listeners': (None, False, False),
    'auto.create.topics.enable': ('true', True, False),
    'auto.leader.rebalance.enable': ('true', True, False),
    'background.threads': ('10', False, False),
    'broker.id': ('-1', True, False),
    'broker.rack': (None, True, False),
    'compression.type': ('producer', False, False),
    'controlled.shutdown.enable': ('true', True, False),
    'default.replication.factor': ('1', True, False),
    'delete.topic.enable': ('true', True, False),
    'group.initial.rebalance.delay.ms': ('3000', True, False),
    'leader.imbalance.check.interval.seconds': ('300', True, False),
    'listeners': ('PLAINTEXT://:9092', False, False),
    'log.cleaner.delete.retention.ms': ('86400000', False, False),
    'log.cleaner.enable': ('true', True, False),
    'log.cleaner.min.cleanable.ratio': ('0.5', False, False),
    'log.cleaner.min.compaction.lag.ms': ('0', False, False),
    'log.cleanup.policy': ('delete', False, False),
    'log.dir': ('/tmp/kafka-logs', True, False),
    'log.dirs': (None, True, False),
    'log.flush.interval.messages': ('9223372036854775807', False, False),
    'log.flush.interval.ms': (None, False, False),
    'log.flush.scheduler.interval.ms': ('9223372036854775807', True, False),
    'log.index.interval.bytes': ('4096', False, False),
    'log.message.downconversion.enable': ('true', False, False),
    'log.message.timestamp.type': ('CreateTime', False, False),
    'log.preallocate': ('false', False, False),
    'log.retention.bytes': ('-1', False, False),
    'log.retention.check.interval.ms': ('300000', True, False),
    'log.retention.hours': ('168', True, False),
    'log.retention.minutes': (None, True, False),
    'log.retention.ms': (None, False, False),
    'log.roll.hours': ('168', True, False),
    'log.roll.ms': (None, False, False),
    'log.segment.bytes': ('1073741824', False, False),
    'log.segment.delete.delay.ms': ('60000', False, False),
    'message.max.bytes': ('1048588', False, False),
    'min.insync.replicas': ('1', False, False),
    'num.io.threads': ('8', False, False),
    'num.network.threads': ('3', False, False),
    'num.partitions': ('1', True, False),
    'num.recovery.threads.per.data.dir': ('1', False, False),
    'num.replica.fetchers': ('1', False, False),
    'offsets.retention.minutes': ('10080', True, False),
    'offsets.topic.num.partitions': ('50', True, False),
    'offsets.topic.replication.factor': ('3', True, False),
    'replica.lag.time.max.ms': ('30000', True, False),
    'sasl.jaas.config': (None, False, True),
    'security.inter.broker.protocol': ('PLAINTEXT', True, False),
    'ssl.key.password': (None, False, True),
    'ssl.keystore.location': (None, False, False),
    'ssl.keystore.password': (None, False, True),
    'ssl.truststore.password': (None, False, True),
    'transaction.state.log.min.isr': ('2', True, False),
    'transaction.state.log.num.partitions': ('50', True, False),
    'transaction.state.log.replication.factor': ('3', True, False),
    'unclean.leader.election.enable': ('false', False, False),
}
BROKER_DEFAULTS = {k: v[0] for k, v in BROKER_CONFIGS.items() if v[0] is not None}

# DynamicBrokerConfig.brokerConfigSynonyms: groups of broker configs that
# configure the same thing, highest precedence first.
_SYNONYM_GROUPS = [
    ['log.retention.ms', 'log.retention.minutes', 'log.retention.hours'],
    ['log.roll.ms', 'log.roll.hours'],
    ['log.flush.interval.ms', 'log.flush.scheduler.interval.ms'],
]
_SYNONYMS = {}
for _group in _SYNONYM_GROUPS:
    for _name in _group:
        _SYNONYMS[_name] = _group

# Unit conversion from a broker synonym to the topic config's unit (ms).
_TO_TOPIC_UNIT = {
    'log.retention.minutes': 60000,
    'log.retention.hours': 3600000,
    'log.roll.hours': 3600000,
}

# Topic config -> primary broker synonym (LogConfig.TopicConfigSynonyms).
TOPIC_CONFIGS = {
    'cleanup.policy': 'log.cleanup.policy',
    'compression.type': 'compression.type',
    'delete.retention.ms': 'log.cleaner.delete.retention.ms',
    'file.delete.delay.ms': 'log.segment.delete.delay.ms',
    'flush.messages': 'log.flush.interval.messages',
    'flush.ms': 'log.flush.interval.ms',
    'index.interval.bytes': 'log.index.interval.bytes',
    'max.message.bytes': 'message.max.bytes',
    'message.downconversion.enable': 'log.message.downconversion.enable',
    'message.timestamp.type': 'log.message.timestamp.type',
    'min.cleanable.dirty.ratio': 'log.cleaner.min.cleanable.ratio',
    'min.compaction.lag.ms': 'log.cleaner.min.compaction.lag.ms',
    'min.insync.replicas': 'min.insync.replicas',
    'preallocate': 'log.preallocate',
    'retention.bytes': 'log.retention.bytes',
    'retention.ms': 'log.retention.ms',
    'segment.bytes': 'log.segment.bytes',
    'segment.ms': 'log.roll.ms',
    'unclean.leader.election.enable': 'unclean.leader.election.enable',
}


def broker_synonyms(name):
    return _SYNONYMS.get(name, [name])


def config_str(value):
    """YAML scalar -> Kafka's string rendering of a config value."""
    if value is None:
        return None
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, (list, tuple)):
        return ','.join(config_str(v) for v in value)
    return str(value)


class ConfigEntry(object):
    __slots__ = ('name', 'value', 'read_only', 'source', 'sensitive',
                 'synonyms')

    def __init__(self, name, value, read_only, source, sensitive, synonyms):
        self.name = name
        self.value = value
        self.read_only = read_only
        self.source = source
        self.sensitive = sensitive
        self.synonyms = synonyms  # list of (name, value, source)

    def as_dict(self):
        return {'name': self.name, 'value': self.value,
                'read_only': self.read_only,
                'source': SOURCE_NAMES.get(self.source, self.source),
                'sensitive': self.sensitive,
                'synonyms': [{'name': n, 'value': v,
                              'source': SOURCE_NAMES.get(s, s)}
                             for n, v, s in self.synonyms]}


class ConfigModel(object):
    """Holds the configuration layers of a cluster.

    default:        cluster-wide dynamic defaults  (source 3)
    static:         server.properties of every broker (source 4)
    static_broker:  {broker_id: {...}} per-broker server.properties (4)
    dynamic:        {broker_id: {...}} per-broker dynamic configs (2)
    auto_static:    callable(broker_id) -> {...} implied server.properties
                    entries (broker.id, broker.rack, listeners)
    """

    def __init__(self, sensitive_extra=()):
        self.default = {}
        self.static = {}
        self.static_broker = {}
        self.dynamic = {}
        self.auto_static = lambda bid: {}
        self.sensitive_extra = set(sensitive_extra)

    # ---- layers -----------------------------------------------------------
    def static_for(self, bid):
        merged = dict(self.auto_static(bid))
        merged.update(self.static)
        merged.update(self.static_broker.get(bid, {}))
        return merged

    def layers(self, bid):
        return [(SOURCE_DYNAMIC_BROKER, self.dynamic.get(bid, {})),
                (SOURCE_DYNAMIC_DEFAULT, self.default),
                (SOURCE_STATIC, self.static_for(bid)),
                (SOURCE_DEFAULT, BROKER_DEFAULTS)]

    def is_sensitive(self, name):
        if name in self.sensitive_extra:
            return True
        if name in BROKER_CONFIGS:
            return BROKER_CONFIGS[name][2]
        # Kafka treats configs of unknown type as "maybe sensitive"; we only
        # do that for names that look like secrets, so ad-hoc scenario keys
        # stay readable.  Use `sensitive_configs:` to force others.
        return (name.endswith('.password') or name.endswith('jaas.config') or
                'secret' in name)

    def effective(self, bid, name):
        """(value, source) of one broker config name, or (None, DEFAULT)."""
        for source, layer in self.layers(bid):
            v = layer.get(name)
            if v is not None:
                return v, source
        return None, SOURCE_DEFAULT

    def _synonyms(self, layers, name, sensitive):
        syns = broker_synonyms(name)
        out = []
        for source, layer in layers:
            for s in syns:
                v = layer.get(s)
                if v is not None:
                    out.append((s, None if sensitive else v, source))
        # allSynonyms.dropWhile(s => s.name != name)
        for i, (n, _, _) in enumerate(out):
            if n == name:
                return out[i:]
        return []

    # ---- DescribeConfigs ---------------------------------------------------
    def broker_entries(self, bid, keys=None, include_synonyms=True):
        layers = self.layers(bid)
        names = set(BROKER_CONFIGS)
        for _, layer in layers[:3]:
            names.update(layer)
        out = []
        for name in sorted(names):
            if keys is not None and name not in keys:
                continue
            sensitive = self.is_sensitive(name)
            value, _ = self.effective(bid, name)
            syns = self._synonyms(layers, name, sensitive)
            source = syns[0][2] if syns else SOURCE_DEFAULT
            read_only = BROKER_CONFIGS.get(name, (None, True, False))[1]
            out.append(ConfigEntry(name, None if sensitive else value,
                                   read_only, source, sensitive,
                                   syns if include_synonyms else []))
        return out

    def broker_default_entries(self, keys=None, include_synonyms=True):
        """DescribeConfigs BROKER resource with an empty name: only the
        cluster-wide dynamic defaults (perBrokerConfig = false)."""
        layers = [(SOURCE_DYNAMIC_DEFAULT, self.default)]
        out = []
        for name in sorted(self.default):
            if keys is not None and name not in keys:
                continue
            sensitive = self.is_sensitive(name)
            syns = self._synonyms(layers, name, sensitive)
            source = syns[0][2] if syns else SOURCE_DEFAULT
            read_only = BROKER_CONFIGS.get(name, (None, True, False))[1]
            out.append(ConfigEntry(name, None if sensitive else self.default[name],
                                   read_only, source, sensitive,
                                   syns if include_synonyms else []))
        return out

    def topic_value(self, bid, topic_config, name):
        """Effective value of a topic config (override or broker default)."""
        if name in topic_config and topic_config[name] is not None:
            return topic_config[name]
        primary = TOPIC_CONFIGS.get(name)
        if primary is None:
            return None
        for syn in broker_synonyms(primary):
            v, _ = self.effective(bid, syn)
            if v is not None:
                mult = _TO_TOPIC_UNIT.get(syn)
                if mult:
                    try:
                        return str(int(v) * mult)
                    except ValueError:
                        return v
                return v
        return None

    def topic_entries(self, bid, topic_config, keys=None, include_synonyms=True):
        layers = self.layers(bid)
        names = set(TOPIC_CONFIGS)
        names.update(k for k, v in topic_config.items() if v is not None)
        out = []
        for name in sorted(names):
            if keys is not None and name not in keys:
                continue
            sensitive = name in self.sensitive_extra
            value = self.topic_value(bid, topic_config, name)
            primary = TOPIC_CONFIGS.get(name)
            syns = self._synonyms(layers, primary, sensitive) if primary else []
            if topic_config.get(name) is not None:
                syns = [(name, None if sensitive else value, SOURCE_TOPIC)] + syns
            source = syns[0][2] if syns else SOURCE_DEFAULT
            out.append(ConfigEntry(name, None if sensitive else value, False,
                                   source, sensitive,
                                   syns if include_synonyms else []))
        return out
