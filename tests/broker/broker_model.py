"""Scenario model for the Kafka scenario test broker.

Loads a scenario (YAML, see README.md), holds the mutable cluster state
(brokers, topics/partitions, groups, committed offsets, injected errors) and
applies timeline steps / control-channel mutations to it.  Protocol encoding
lives in broker_protocol.py, request handling in kafka_scenario_broker.py.
"""

import fnmatch
import math
import random
import re
import time

import yaml

from broker_configs import ConfigModel, config_str
from broker_protocol import api_key, error_code, error_name


class ScenarioError(Exception):
    pass


def _fail(msg, *args):
    raise ScenarioError(msg % args if args else msg)


def parse_duration(value):
    """2, 2.5, '2s', '500ms', '1m', '1h' -> seconds (float)."""
    if value is None:
        return None
    if isinstance(value, bool):
        _fail('bad duration %r', value)
    if isinstance(value, (int, float)):
        return float(value)
    m = re.match(r'^\s*([0-9]*\.?[0-9]+)\s*(ms|s|m|h)?\s*$', str(value))
    if not m:
        _fail('bad duration %r', value)
    n = float(m.group(1))
    return n * {'ms': 0.001, 's': 1, 'm': 60, 'h': 3600, None: 1}[m.group(2)]


def java_string_hash(s):
    """java.lang.String#hashCode (used by Kafka to map a group to a
    __consumer_offsets partition)."""
    h = 0
    data = s.encode('utf-16-be')
    for i in range(0, len(data), 2):
        h = (31 * h + ((data[i] << 8) | data[i + 1])) & 0xFFFFFFFF
    return h - (1 << 32) if h & 0x80000000 else h


def kafka_abs(n):
    """org.apache.kafka.common.utils.Utils.abs"""
    return n & 0x7FFFFFFF


def _check_keys(where, spec, allowed):
    if not isinstance(spec, dict):
        _fail('%s: expected a mapping, got %r', where, spec)
    extra = set(spec) - set(allowed)
    if extra:
        _fail('%s: unknown key(s) %s (allowed: %s)', where,
              ', '.join(sorted(map(str, extra))), ', '.join(sorted(allowed)))


def _int(where, v):
    if isinstance(v, bool) or not isinstance(v, int):
        try:
            return int(str(v), 0)
        except (TypeError, ValueError):
            _fail('%s: expected an integer, got %r', where, v)
    return v


def _int_list(where, v):
    if v is None:
        return []
    if not isinstance(v, (list, tuple)):
        _fail('%s: expected a list of integers, got %r', where, v)
    return [_int(where, x) for x in v]


# ==========================================================================
# Clock
# ==========================================================================


class Clock(object):
    """Scenario clock in seconds since start.  Real (monotonic) by default;
    with manual=True it only moves on advance() (deterministic tests)."""

    def __init__(self, manual=False):
        self.manual = manual
        self._base = time.monotonic()
        self._offset = 0.0

    def now(self):
        if self.manual:
            return self._offset
        return time.monotonic() - self._base + self._offset

    def advance(self, seconds):
        self._offset += seconds


# ==========================================================================
# Cluster objects
# ==========================================================================


class Broker(object):
    def __init__(self, bid, rack=None, port=0, max_versions=None,
                 config=None, down=False):
        self.id = bid
        self.rack = rack
        self.port = port            # 0 until bound
        self.requested_port = port
        self.max_versions = max_versions or {}
        self.config = config or {}  # per-broker server.properties
        self.alive = not down
        self.initially_down = down


class Partition(object):
    __slots__ = ('index', 'leader', 'replicas', 'isr', 'offline', 'log_start',
                 'log_end', 'leader_epoch', 'error')

    def __init__(self, index, leader, replicas, isr, offline=None,
                 log_start=0, log_end=0, leader_epoch=0, error=None):
        self.index = index
        self.leader = leader
        self.replicas = replicas
        self.isr = isr
        self.offline = offline or []
        self.log_start = log_start
        self.log_end = log_end
        self.leader_epoch = leader_epoch
        self.error = error          # explicit Metadata partition error code

    def as_dict(self):
        return {'partition': self.index, 'leader': self.leader,
                'replicas': list(self.replicas), 'isr': list(self.isr),
                'offline': list(self.offline), 'log_start': self.log_start,
                'log_end': self.log_end, 'leader_epoch': self.leader_epoch,
                'error': None if self.error is None else error_name(self.error)}


class Topic(object):
    def __init__(self, name):
        self.name = name
        self.internal = name.startswith('__')
        self.error = None
        self.config = {}
        self.partitions = []
        self.rate = 0.0             # messages/second appended to every partition
        self.rate_since = 0.0
        self.ts_base_ms = None      # timestamp of offset 0 (None: cluster epoch)
        self.ts_step_ms = 1000      # ms between consecutive offsets
        self.cache = {}             # pre-encoded Metadata blobs by family

    def invalidate(self):
        self.cache.clear()

    def log_end_now(self, p, now):
        if self.rate:
            return p.log_end + int(self.rate * max(0.0, now - self.rate_since))
        return p.log_end

    def fold_growth(self, now):
        """Bake accumulated rate growth into log_end (before mutations)."""
        if self.rate:
            grown = int(self.rate * max(0.0, now - self.rate_since))
            if grown:
                for p in self.partitions:
                    p.log_end += grown
                # keep the fractional remainder
                self.rate_since += grown / self.rate
            # (no Metadata impact: offsets are not in Metadata)


class CommittedOffset(object):
    __slots__ = ('offset', 'metadata', 'leader_epoch')

    def __init__(self, offset, metadata='', leader_epoch=-1):
        self.offset = offset
        self.metadata = metadata
        self.leader_epoch = leader_epoch


class Member(object):
    def __init__(self, member_id, client_id, host, assignment, subscription,
                 instance_id=None):
        self.member_id = member_id
        self.client_id = client_id
        self.host = host
        self.assignment = assignment        # [(topic, [partitions])]
        self.subscription = subscription    # [topic]
        self.instance_id = instance_id
        self._enc = None

    def encoded(self):
        """(member_metadata, member_assignment) ConsumerProtocol bytes."""
        if self._enc is None:
            from broker_protocol import encode_assignment, encode_subscription
            self._enc = (encode_subscription(self.subscription),
                         encode_assignment(self.assignment))
        return self._enc

    def as_dict(self):
        return {'member_id': self.member_id, 'client_id': self.client_id,
                'host': self.host, 'instance_id': self.instance_id,
                'subscription': list(self.subscription),
                'assignment': {t: list(ps) for t, ps in self.assignment}}


GROUP_STATES = ('Stable', 'Empty', 'Dead', 'PreparingRebalance',
                'CompletingRebalance')


class Group(object):
    def __init__(self, name):
        self.name = name
        self.state = 'Empty'
        self.coordinator = None
        self.protocol_type = 'consumer'
        self.protocol = 'range'
        self.members = []
        self.offsets = {}   # topic -> {partition: CommittedOffset}
        self.lag = {}       # topic -> int (all partitions) | {partition: int}
        self.kip848 = False

    @property
    def exists(self):
        return self.state != 'Dead'


# Injected behaviours that are not Kafka error codes (negative: no real
# code is negative and below -1).
OMIT = -9001
MALFORMED = -9002
PSEUDO_ERRORS = {'OMIT': OMIT, 'MALFORMED': MALFORMED}


class ErrorRule(object):
    """An injected error / delay.  See README 'errors'."""

    FIELDS = ('name', 'api', 'error', 'message', 'topic', 'group', 'partition',
              'broker', 'on_broker', 'delay_ms', 'times', 'action')

    def __init__(self, spec, where='errors'):
        _check_keys(where, spec, self.FIELDS)
        self.name = spec.get('name')
        self.api = api_key(spec['api']) if spec.get('api') is not None else None
        # OMIT: the answer leaves the resource out (DescribeConfigs);
        # MALFORMED: a reply librdkafka cannot parse (ListGroups)
        pseudo = str(spec.get('error', '')).upper()
        if pseudo in PSEUDO_ERRORS:
            self.code = PSEUDO_ERRORS[pseudo]
        else:
            self.code = error_code(spec['error']) if spec.get('error') is not None else None
        self.message = spec.get('message')
        self.topic = spec.get('topic')
        self.group = spec.get('group')
        self.partition = (_int(where, spec['partition'])
                          if spec.get('partition') is not None else None)
        self.broker = spec.get('broker')
        if self.broker is not None:
            self.broker = str(self.broker)
        self.on_broker = (_int(where, spec['on_broker'])
                          if spec.get('on_broker') is not None else None)
        self.delay_ms = spec.get('delay_ms')
        self.times = spec.get('times')
        self.action = spec.get('action')
        if self.action not in (None, 'close'):
            _fail('%s: action must be "close"', where)
        if self.code is None and self.delay_ms is None and self.action is None:
            _fail('%s: needs error, delay_ms or action', where)
        if self.code is None and (self.topic is not None or self.group is not None or
                                  self.partition is not None or self.broker is not None):
            _fail('%s: delay_ms/action rules match on api and on_broker only', where)
        self.hits = 0
        self.spec = dict(spec)

    @property
    def active(self):
        return self.times is None or self.hits < self.times

    @property
    def request_level(self):
        """Delay/close rules: matched on api/on_broker only."""
        return self.code is None

    def _m(self, pattern, value):
        if pattern is None:
            return True
        if value is None:
            return False
        return fnmatch.fnmatchcase(str(value), str(pattern))

    def matches(self, api, on_broker, topic=None, group=None, partition=None,
                broker=None):
        if not self.active:
            return False
        if self.api is not None and self.api != api:
            return False
        if self.on_broker is not None and self.on_broker != on_broker:
            return False
        if not (self._m(self.topic, topic) and self._m(self.group, group) and
                self._m(self.broker, broker)):
            return False
        if self.partition is not None and self.partition != partition:
            return False
        return True

    def as_dict(self):
        d = dict(self.spec)
        d['hits'] = self.hits
        d['active'] = self.active
        return d


class Step(object):
    ACTIONS = ('set', 'broker_down', 'broker_up', 'grow', 'rate', 'stall',
               'add_errors', 'clear_errors')

    def __init__(self, spec, idx):
        where = 'timeline[%d]' % idx
        _check_keys(where, spec, ('name', 'after', 'description') + self.ACTIONS)
        self.name = str(spec.get('name') or 'step-%d' % (idx + 1))
        self.after = parse_duration(spec.get('after'))
        self.description = spec.get('description')
        self.spec = spec
        self.applied = False
        self.applied_at = None

    def as_dict(self):
        return {'name': self.name, 'after': self.after, 'applied': self.applied,
                'applied_at': (None if self.applied_at is None
                               else round(self.applied_at, 3))}


# ==========================================================================
# Cluster
# ==========================================================================

TOP_KEYS = ('cluster_id', 'controller', 'kafka_version', 'epoch_ms',
            'max_versions', 'trap_write_apis', 'sensitive_configs', 'brokers',
            'broker_configs', 'topics', 'groups', 'errors', 'timeline',
            'generate', 'description')


class Cluster(object):
    def __init__(self, clock=None):
        self.clock = clock or Clock()
        self.cluster_id = 'scenario-cluster'
        self.controller_pref = None
        self.kafka_version = None
        self.description = None
        self.epoch_ms = 1700000000000
        self.max_versions = {}
        self.trap_write_apis = False
        self.brokers = {}
        self.configs = ConfigModel()
        self.configs.auto_static = self._auto_static
        self.topics = {}
        self.groups = {}
        self.errors = []
        self.steps = []
        self.next_step = 0
        self.last_step_time = 0.0
        self.version = 0            # bumped on every mutation
        self.listeners = []         # callables(event, detail) for the server

    # ---- helpers ----------------------------------------------------------
    def _auto_static(self, bid):
        b = self.brokers.get(bid)
        d = {'broker.id': str(bid)}
        if b is not None:
            if b.rack is not None:
                d['broker.rack'] = str(b.rack)
            if b.port:
                d['listeners'] = 'PLAINTEXT://127.0.0.1:%d' % b.port
                d['advertised.listeners'] = 'PLAINTEXT://127.0.0.1:%d' % b.port
        return d

    def alive(self, bid):
        b = self.brokers.get(bid)
        return b is not None and b.alive

    def alive_ids(self):
        return sorted(b.id for b in self.brokers.values() if b.alive)

    @property
    def controller(self):
        if self.controller_pref is not None and self.alive(self.controller_pref):
            return self.controller_pref
        ids = self.alive_ids()
        return ids[0] if ids else -1

    def notify(self, event, detail=None):
        self.version += 1
        for cb in self.listeners:
            cb(event, detail)

    def invalidate_all(self):
        for t in self.topics.values():
            t.invalidate()

    def topic_config_value(self, topic, name, bid=None):
        if bid is None:
            bid = self.controller
        return self.configs.topic_value(bid, topic.config, name)

    def now(self):
        return self.clock.now()

    # ---- groups -------------------------------------------------------------
    def coordinator_for(self, group_name):
        """Coordinator broker id, or None if unavailable.

        Explicit `coordinator:` wins while that broker is alive; otherwise
        Kafka's rule: leader of __consumer_offsets partition
        abs(javaHash(group)) % partitions; without that topic, the same hash
        over the alive broker ids."""
        g = self.groups.get(group_name)
        if g is not None and g.coordinator is not None and self.alive(g.coordinator):
            return g.coordinator
        h = kafka_abs(java_string_hash(group_name))
        co = self.topics.get('__consumer_offsets')
        if co is not None and co.partitions:
            leader = co.partitions[h % len(co.partitions)].leader
            return leader if self.alive(leader) else None
        ids = self.alive_ids()
        return ids[h % len(ids)] if ids else None

    def committed(self, g, now):
        """All committed offsets of group g: {topic: {p: CommittedOffset}}
        (explicit offsets override lag-following ones)."""
        out = {}
        for tname, lag in g.lag.items():
            t = self.topics.get(tname)
            if t is None:
                continue
            d = out.setdefault(tname, {})
            for p in t.partitions:
                lg = lag.get(p.index) if isinstance(lag, dict) else lag
                if lg is None:
                    continue
                end = t.log_end_now(p, now)
                d[p.index] = CommittedOffset(max(p.log_start, end - lg))
        for tname, parts in g.offsets.items():
            d = out.setdefault(tname, {})
            d.update(parts)
        return {t: d for t, d in out.items() if d}

    # ---- leadership ----------------------------------------------------------
    def _unclean_allowed(self, topic):
        v = self.topic_config_value(topic, 'unclean.leader.election.enable')
        return str(v).lower() == 'true'

    def _elect(self, topic, p):
        old = p.leader
        cands = [r for r in p.replicas if self.alive(r) and r in p.isr]
        if cands:
            p.leader = cands[0]
        elif self._unclean_allowed(topic):
            alive = [r for r in p.replicas if self.alive(r)]
            if alive:
                p.leader = alive[0]
                p.isr = [alive[0]]
            else:
                p.leader = -1
        else:
            p.leader = -1
        if p.leader != old:
            p.leader_epoch += 1

    def broker_down(self, bid):
        b = self.brokers.get(bid)
        if b is None:
            _fail('unknown broker %r', bid)
        was_controller = self.controller == bid
        b.alive = False
        if was_controller:
            # controllership moves (and stays) elsewhere
            ids = self.alive_ids()
            self.controller_pref = ids[0] if ids else None
        self._apply_down(bid)
        self.invalidate_all()
        self.notify('broker_down', bid)

    def _apply_down(self, bid):
        for t in self.topics.values():
            for p in t.partitions:
                if bid not in p.replicas:
                    continue
                if bid not in p.offline:
                    p.offline.append(bid)
                # Kafka never shrinks the ISR to empty: the last ISR member
                # stays (and the partition goes leaderless).
                if bid in p.isr and len(p.isr) > 1:
                    p.isr = [r for r in p.isr if r != bid]
                if p.leader == bid or (p.leader != -1 and not self.alive(p.leader)):
                    self._elect(t, p)

    def broker_up(self, bid):
        b = self.brokers.get(bid)
        if b is None:
            _fail('unknown broker %r', bid)
        b.alive = True
        for t in self.topics.values():
            for p in t.partitions:
                if bid not in p.replicas:
                    continue
                p.offline = [r for r in p.offline if r != bid]
                if p.leader == -1:
                    if bid in p.isr:
                        p.leader = bid
                        p.leader_epoch += 1
                elif bid not in p.isr:
                    p.isr = p.isr + [bid]   # caught up and rejoined
        self.invalidate_all()
        self.notify('broker_up', bid)

    # ---- timeline ---------------------------------------------------------------
    def pending_steps(self):
        return self.steps[self.next_step:]

    def next_due(self):
        """(step, due_time) of the next pending step with `after`, else None."""
        if self.next_step >= len(self.steps):
            return None
        s = self.steps[self.next_step]
        if s.after is None:
            return None
        return s, self.last_step_time + s.after

    def apply_next(self):
        if self.next_step >= len(self.steps):
            _fail('no pending timeline step')
        s = self.steps[self.next_step]
        self.apply_step(s)
        return s

    def apply_through(self, name):
        names = [s.name for s in self.steps]
        if name not in names:
            _fail('unknown step %r (steps: %s)', name, ', '.join(names))
        idx = names.index(name)
        if idx < self.next_step:
            _fail('step %r was already applied', name)
        applied = []
        while self.next_step <= idx:
            applied.append(self.apply_next())
        return applied

    def apply_step(self, s):
        now = self.now()
        self.apply_actions(s.spec, 'step %s' % s.name)
        s.applied = True
        s.applied_at = now
        self.next_step = self.steps.index(s) + 1
        self.last_step_time = now
        self.notify('step', s.name)

    def apply_actions(self, spec, where):
        now = self.now()
        for t in self.topics.values():
            t.fold_growth(now)
        # Order: stall (freeze what the group committed so far), brokers,
        # set, grow, rate, errors.
        for gname in _as_list(spec.get('stall')):
            self.stall_group(gname)
        for bid in _as_list(spec.get('broker_down')):
            self.broker_down(_int(where, bid))
        for bid in _as_list(spec.get('broker_up')):
            self.broker_up(_int(where, bid))
        sets = spec.get('set')
        if isinstance(sets, dict):
            for path, value in sets.items():
                self.set_path(path, value)
        elif isinstance(sets, list):
            for item in sets:
                _check_keys(where + '.set[]', item, ('path', 'value'))
                self.set_path(item['path'], item.get('value'))
        elif sets is not None:
            _fail('%s: set must be a mapping or a list', where)
        for tname, n in (spec.get('grow') or {}).items():
            for t in self._topics_matching(tname):
                for p in t.partitions:
                    p.log_end += _int(where, n)
        for tname, r in (spec.get('rate') or {}).items():
            for t in self._topics_matching(tname):
                t.fold_growth(now)
                t.rate = float(r)
                t.rate_since = now
        for e in spec.get('add_errors') or []:
            self.errors.append(ErrorRule(e, where + '.add_errors'))
        ce = spec.get('clear_errors')
        if ce is True or ce == 'all':
            self.errors = []
        elif ce:
            names = set(_as_list(ce))
            self.errors = [e for e in self.errors if e.name not in names]
        self.notify('actions', where)

    def _topics_matching(self, pattern):
        ts = [t for n, t in self.topics.items() if fnmatch.fnmatchcase(n, pattern)]
        if not ts:
            _fail('no topic matches %r', pattern)
        return ts

    def stall_group(self, gname):
        """Freeze a group's lag-following offsets at their current values:
        commits stop moving while log_end keeps growing."""
        g = self.groups.get(gname)
        if g is None:
            _fail('unknown group %r', gname)
        current = self.committed(g, self.now())
        g.lag = {}
        g.offsets = current

    # ---- set PATH VALUE ------------------------------------------------------
    def set_path(self, path, value):
        seg = split_path(path)
        if not seg:
            _fail('empty path')
        head = seg[0]
        try:
            if head == 'cluster_id' and len(seg) == 1:
                self.cluster_id = None if value is None else str(value)
                self.invalidate_all()
            elif head == 'controller' and len(seg) == 1:
                self.controller_pref = None if value is None else _int(path, value)
            elif head == 'topics':
                self._set_topic(seg[1:], value, path)
            elif head == 'groups':
                self._set_group(seg[1:], value, path)
            elif head == 'brokers' and len(seg) >= 3:
                b = self.brokers.get(_int(path, seg[1]))
                if b is None:
                    _fail('unknown broker in %r', path)
                if seg[2] == 'rack' and len(seg) == 3:
                    b.rack = None if value is None else str(value)
                elif seg[2] == 'config' and len(seg) == 4:
                    _set_or_del(b.config, seg[3], config_str(value))
                elif seg[2] == 'max_versions' and len(seg) == 4:
                    _set_or_del(b.max_versions, api_key(seg[3]),
                                None if value is None else _int(path, value))
                else:
                    _fail('cannot set %r', path)
            elif head == 'broker_configs' and len(seg) == 3:
                layer = self._config_layer(seg[1], create=True)
                _set_or_del(layer, seg[2], config_str(value))
            elif head == 'broker_configs' and len(seg) == 2:
                if value is not None and not isinstance(value, dict):
                    _fail('%s: expected a mapping', path)
                layer = self._config_layer(seg[1], create=True)
                layer.clear()
                layer.update({k: config_str(v) for k, v in (value or {}).items()})
            elif head == 'max_versions' and len(seg) == 2:
                _set_or_del(self.max_versions, api_key(seg[1]),
                            None if value is None else _int(path, value))
            else:
                _fail('cannot set %r', path)
        except ScenarioError:
            raise
        except (KeyError, IndexError, TypeError, ValueError) as e:
            _fail('set %s: %s', path, e)
        self.notify('set', path)

    def _config_layer(self, scope, create=False):
        scope = str(scope)
        if scope == 'default':
            return self.configs.default
        if scope == 'static':
            return self.configs.static
        if scope.lstrip('-').isdigit():
            bid = int(scope)
            if create:
                return self.configs.dynamic.setdefault(bid, {})
            return self.configs.dynamic.get(bid, {})
        _fail('unknown broker_configs scope %r (default, static or a broker id)', scope)

    def _set_topic(self, seg, value, path):
        if not seg:
            _fail('cannot set %r', path)
        name = seg[0]
        if len(seg) == 1:
            if value is None:
                self.topics.pop(name, None)
            else:
                self.topics[name] = self._load_topic(name, value, path)
                self._apply_initial_down(self.topics[name])
            return
        t = self.topics.get(name)
        if t is None:
            _fail('unknown topic %r in %r', name, path)
        t.fold_growth(self.now())
        t.invalidate()
        field = seg[1]
        if field == 'config':
            if len(seg) == 2:
                t.config = {k: config_str(v) for k, v in (value or {}).items()}
            elif len(seg) == 3:
                _set_or_del(t.config, seg[2], config_str(value))
            else:
                _fail('cannot set %r', path)
        elif field == 'internal' and len(seg) == 2:
            t.internal = bool(value)
        elif field == 'error' and len(seg) == 2:
            t.error = None if value is None else error_code(value)
        elif field == 'rate' and len(seg) == 2:
            t.rate = float(value or 0)
            t.rate_since = self.now()
        elif field == 'partitions' and len(seg) == 2:
            t.partitions = self._load_partitions(t, value, path)
        elif field == 'partitions' and len(seg) >= 3:
            if seg[2] == '*':
                parts = t.partitions
            else:
                idx = _int(path, seg[2])
                if not 0 <= idx < len(t.partitions):
                    _fail('%s: no partition %d', path, idx)
                parts = [t.partitions[idx]]
            if len(seg) == 3:
                if not isinstance(value, dict):
                    _fail('%s: expected a mapping of partition fields', path)
                items = list(value.items())
            elif len(seg) == 4:
                items = [(seg[3], value)]
            else:
                _fail('cannot set %r', path)
            for p in parts:
                self._set_partition_fields(p, items, path)
        else:
            _fail('cannot set %r', path)

    def _set_partition_fields(self, p, items, path):
        fields = dict(items)
        old_leader = p.leader
        for k, v in items:
            if k == 'leader':
                p.leader = _int(path, v)
            elif k in ('replicas', 'isr', 'offline'):
                setattr(p, k, _int_list(path, v))
            elif k in ('log_start', 'log_end', 'leader_epoch'):
                setattr(p, k, _int(path, v))
            elif k == 'error':
                p.error = None if v is None else error_code(v)
            else:
                _fail('%s: unknown partition field %r', path, k)
        if p.leader != old_leader and 'leader_epoch' not in fields:
            p.leader_epoch += 1

    def _set_group(self, seg, value, path):
        if not seg:
            _fail('cannot set %r', path)
        name = seg[0]
        if len(seg) == 1:
            if value is None:
                self.groups.pop(name, None)
            else:
                self.groups[name] = self._load_group(name, value, path)
            return
        g = self.groups.get(name)
        if g is None:
            _fail('unknown group %r in %r', name, path)
        field = seg[1]
        if field == 'state' and len(seg) == 2:
            if value not in GROUP_STATES:
                _fail('%s: state must be one of %s', path, ', '.join(GROUP_STATES))
            g.state = value
        elif field == 'coordinator' and len(seg) == 2:
            g.coordinator = None if value is None else _int(path, value)
        elif field in ('protocol', 'protocol_type') and len(seg) == 2:
            setattr(g, field, '' if value is None else str(value))
        elif field == 'members' and len(seg) == 2:
            spec = {'members': value, 'state': g.state}
            g.members = self._load_members(name, spec, path)
        elif field == 'offsets':
            # freeze lag-following partitions first so a partial update does
            # not silently drop the others
            if len(seg) == 2:
                g.offsets = self._load_offsets(value or {}, path)
                g.lag = {}
            elif len(seg) == 3:
                if value is None:
                    g.offsets.pop(seg[2], None)
                    g.lag.pop(seg[2], None)
                else:
                    g.offsets[seg[2]] = self._load_offsets({seg[2]: value}, path)[seg[2]]
            elif len(seg) == 4:
                tname, part = seg[2], _int(path, seg[3])
                if tname in g.lag:
                    frozen = self.committed(g, self.now()).get(tname, {})
                    g.offsets.setdefault(tname, {}).update(
                        {k: v for k, v in frozen.items()
                         if k not in g.offsets.get(tname, {})})
                    del g.lag[tname]
                if value is None:
                    g.offsets.get(tname, {}).pop(part, None)
                else:
                    g.offsets.setdefault(tname, {})[part] = _load_committed(value, path)
            else:
                _fail('cannot set %r', path)
        elif field == 'lag':
            if len(seg) == 2:
                g.lag = self._load_lag(value or {}, path)
                for tname in g.lag:
                    g.offsets.pop(tname, None)
            elif len(seg) == 3:
                if value is None:
                    g.lag.pop(seg[2], None)
                else:
                    g.lag[seg[2]] = self._load_lag({seg[2]: value}, path)[seg[2]]
                    g.offsets.pop(seg[2], None)
            else:
                _fail('cannot set %r', path)
        else:
            _fail('cannot set %r', path)

    # ==========================================================================
    # Loading
    # ==========================================================================
    def load(self, spec):
        if spec is None:
            spec = {}
        _check_keys('scenario', spec, TOP_KEYS)
        self.cluster_id = spec.get('cluster_id', 'scenario-cluster')
        if self.cluster_id is not None:
            self.cluster_id = str(self.cluster_id)
        self.kafka_version = spec.get('kafka_version')
        self.description = spec.get('description')
        self.epoch_ms = _int('epoch_ms', spec.get('epoch_ms', self.epoch_ms))
        self.trap_write_apis = bool(spec.get('trap_write_apis', False))
        self.max_versions = _load_max_versions(spec.get('max_versions'), 'max_versions')
        self.configs.sensitive_extra = set(spec.get('sensitive_configs') or [])

        self._load_brokers(spec.get('brokers', 3))
        if spec.get('controller') is not None:
            self.controller_pref = _int('controller', spec['controller'])
        self._load_broker_configs(spec.get('broker_configs') or {})

        for name, tspec in (spec.get('topics') or {}).items():
            self.topics[str(name)] = self._load_topic(str(name), tspec, 'topics.%s' % name)
        gen = spec.get('generate') or {}
        _check_keys('generate', gen, ('seed', 'topics', 'groups'))
        rng = random.Random(gen.get('seed', 1))
        for i, g in enumerate(_as_list(gen.get('topics'))):
            self._generate_topics(g, rng, 'generate.topics[%d]' % i)

        for name, gspec in (spec.get('groups') or {}).items():
            self.groups[str(name)] = self._load_group(str(name), gspec, 'groups.%s' % name)
        for i, g in enumerate(_as_list(gen.get('groups'))):
            self._generate_groups(g, rng, 'generate.groups[%d]' % i)

        self.errors = [ErrorRule(e, 'errors[%d]' % i)
                       for i, e in enumerate(spec.get('errors') or [])]
        self.steps = [Step(s, i) for i, s in enumerate(spec.get('timeline') or [])]
        names = [s.name for s in self.steps]
        if len(set(names)) != len(names):
            _fail('timeline step names must be unique')

        for b in self.brokers.values():
            if not b.alive:
                self._apply_down(b.id)
        return self

    def _apply_initial_down(self, topic):
        for b in self.brokers.values():
            if not b.alive:
                for p in topic.partitions:
                    if b.id in p.replicas and b.id not in p.offline:
                        p.offline.append(b.id)

    def _load_brokers(self, spec):
        if isinstance(spec, int) and not isinstance(spec, bool):
            spec = [{'id': i} for i in range(1, spec + 1)]
        if not isinstance(spec, list) or not spec:
            _fail('brokers: expected a non-empty list (or a count)')
        for i, b in enumerate(spec):
            where = 'brokers[%d]' % i
            if isinstance(b, int):
                b = {'id': b}
            _check_keys(where, b, ('id', 'rack', 'port', 'max_versions', 'config', 'down'))
            bid = _int(where, b.get('id', i + 1))
            if bid in self.brokers:
                _fail('%s: duplicate broker id %d', where, bid)
            self.brokers[bid] = Broker(
                bid, rack=None if b.get('rack') is None else str(b['rack']),
                port=_int(where, b.get('port', 0)),
                max_versions=_load_max_versions(b.get('max_versions'), where),
                config={k: config_str(v) for k, v in (b.get('config') or {}).items()},
                down=bool(b.get('down', False)))

    def _load_broker_configs(self, spec):
        if not isinstance(spec, dict):
            _fail('broker_configs: expected a mapping')
        for scope, values in spec.items():
            if not isinstance(values, dict):
                _fail('broker_configs.%s: expected a mapping', scope)
            layer = self._config_layer(scope, create=True)
            layer.update({str(k): config_str(v) for k, v in values.items()})
        for bid in self.configs.dynamic:
            if bid not in self.brokers:
                _fail('broker_configs: unknown broker id %d', bid)

    def _assign(self, tname, count, rf, start=None):
        """Round-robin replica assignment: partition p gets brokers
        start+p, start+p+1, ... (sorted ids, wrapping); leader first."""
        ids = sorted(self.brokers)
        n = len(ids)
        if rf > n or rf < 1:
            _fail('topic %s: replication factor %d with %d brokers', tname, rf, n)
        if start is None:
            start = kafka_abs(java_string_hash(tname)) % n
        return [[ids[(start + p + j) % n] for j in range(rf)] for p in range(count)]

    def _load_partitions(self, topic, spec, where):
        default_rf = min(3, len(self.brokers))
        common = {}
        if isinstance(spec, int) and not isinstance(spec, bool):
            spec = {'count': spec}
        if isinstance(spec, dict):
            _check_keys(where, spec, ('count', 'rf', 'replicas', 'isr', 'leader',
                                      'offline', 'log_start', 'log_end'))
            count = _int(where, spec.get('count', 1))
            if 'replicas' in spec:
                reps = [_int_list(where, spec['replicas'])] * count
            else:
                reps = self._assign(topic.name, count, _int(where, spec.get('rf', default_rf)))
            common = {k: spec[k] for k in ('isr', 'leader', 'offline', 'log_start',
                                           'log_end') if k in spec}
            items = [dict(common, replicas=r) for r in reps]
        elif isinstance(spec, list):
            items = spec
        else:
            _fail('%s: partitions must be a list, a count or a mapping', where)
        assigned = None
        parts = []
        for i, ps in enumerate(items):
            pw = '%s[%d]' % (where, i)
            ps = ps or {}
            _check_keys(pw, ps, ('replicas', 'isr', 'leader', 'offline', 'log_start',
                                 'log_end', 'leader_epoch', 'error', 'rf'))
            if 'replicas' in ps:
                reps = _int_list(pw, ps['replicas'])
            else:
                if assigned is None:
                    assigned = self._assign(topic.name, len(items), default_rf)
                reps = assigned[i]
                if 'rf' in ps:
                    reps = self._assign(topic.name, len(items), _int(pw, ps['rf']))[i]
            for r in reps:
                if r not in self.brokers:
                    _fail('%s: replica %d is not a broker', pw, r)
            isr = _int_list(pw, ps['isr']) if 'isr' in ps else list(reps)
            leader = _int(pw, ps['leader']) if 'leader' in ps else (isr[0] if isr else -1)
            ls = _int(pw, ps.get('log_start', 0))
            le = _int(pw, ps.get('log_end', ls))
            if le < ls:
                _fail('%s: log_end %d < log_start %d', pw, le, ls)
            parts.append(Partition(
                i, leader, reps, isr, _int_list(pw, ps.get('offline')), ls, le,
                _int(pw, ps.get('leader_epoch', 0)),
                None if ps.get('error') is None else error_code(ps['error'])))
        return parts

    def _load_topic(self, name, spec, where):
        if spec is None:
            spec = {}
        _check_keys(where, spec, ('internal', 'error', 'config', 'partitions',
                                  'rate', 'timestamps'))
        t = Topic(name)
        if 'internal' in spec:
            t.internal = bool(spec['internal'])
        if spec.get('error') is not None:
            t.error = error_code(spec['error'])
        t.config = {str(k): config_str(v) for k, v in (spec.get('config') or {}).items()}
        t.partitions = self._load_partitions(t, spec.get('partitions', 1),
                                             where + '.partitions')
        t.rate = float(spec.get('rate', 0) or 0)
        ts = spec.get('timestamps') or {}
        _check_keys(where + '.timestamps', ts, ('base_ms', 'step_ms'))
        if 'base_ms' in ts:
            t.ts_base_ms = _int(where, ts['base_ms'])
        if 'step_ms' in ts:
            t.ts_step_ms = max(1, _int(where, ts['step_ms']))
        return t

    def _load_offsets(self, spec, where):
        out = {}
        if not isinstance(spec, dict):
            _fail('%s: offsets must be a mapping topic -> {partition: offset}', where)
        for tname, parts in spec.items():
            if not isinstance(parts, dict):
                _fail('%s.%s: expected {partition: offset}', where, tname)
            out[str(tname)] = {_int(where, p): _load_committed(v, where)
                               for p, v in parts.items()}
        return out

    def _load_lag(self, spec, where):
        out = {}
        if not isinstance(spec, dict):
            _fail('%s: lag must be a mapping topic -> lag', where)
        for tname, v in spec.items():
            if isinstance(v, dict):
                out[str(tname)] = {_int(where, p): _int(where, l) for p, l in v.items()}
            else:
                out[str(tname)] = _int(where, v)
        return out

    def _load_members(self, gname, spec, where):
        members = spec.get('members') or []
        topics = [str(t) for t in _as_list(spec.get('topics'))]
        if isinstance(members, int) and not isinstance(members, bool):
            members = [{} for _ in range(members)]
        out = []
        auto = []
        for i, m in enumerate(members):
            mw = '%s.members[%d]' % (where, i)
            _check_keys(mw, m, ('member_id', 'client_id', 'host', 'instance_id',
                                'assignment', 'subscription'))
            client_id = str(m.get('client_id', '%s-%d' % (gname, i + 1)))
            member_id = str(m.get('member_id') or '%s-%08x-%04d' % (
                client_id, kafka_abs(java_string_hash(gname)), i))
            if 'assignment' in m:
                assignment = []
                for t, ps in (m['assignment'] or {}).items():
                    assignment.append((str(t), _int_list(mw, ps)))
            else:
                assignment = None
                auto.append(i)
            sub = m.get('subscription')
            sub = [str(s) for s in sub] if sub else (
                topics or [t for t, _ in (assignment or [])])
            out.append(Member(member_id, client_id, str(m.get('host', '/127.0.0.1')),
                              assignment, sub, m.get('instance_id')))
        if auto:
            # range-style assignment of the subscribed topics' partitions
            # across members without an explicit assignment
            for m in out:
                if m.assignment is None:
                    m.assignment = []
            sub_topics = topics or sorted({s for m in out for s in m.subscription})
            for tname in sub_topics:
                t = self.topics.get(tname)
                if t is None:
                    continue
                n = len(auto)
                per, extra = divmod(len(t.partitions), n)
                pos = 0
                for k, mi in enumerate(auto):
                    cnt = per + (1 if k < extra else 0)
                    if cnt:
                        out[mi].assignment.append(
                            (tname, list(range(pos, pos + cnt))))
                    pos += cnt
                for mi in auto:
                    if not out[mi].subscription:
                        out[mi].subscription = list(sub_topics)
        return out

    def _load_group(self, name, spec, where):
        if spec is None:
            spec = {}
        _check_keys(where, spec, ('state', 'coordinator', 'protocol_type',
                                  'protocol', 'members', 'topics', 'offsets', 'lag',
                                  'kip848'))
        g = Group(name)
        # a KIP-848 (group.protocol=consumer) group as Kafka 4 shows it to
        # the classic DescribeGroups that librdkafka 2.0.2 speaks: Dead,
        # no members; ListGroups still lists it
        g.kip848 = bool(spec.get('kip848', False))
        state = spec.get('state')
        members = spec.get('members')
        if state is None:
            state = 'Stable' if members else 'Empty'
        if state not in GROUP_STATES:
            _fail('%s.state: must be one of %s', where, ', '.join(GROUP_STATES))
        g.state = state
        if spec.get('coordinator') is not None:
            g.coordinator = _int(where, spec['coordinator'])
            if g.coordinator not in self.brokers:
                _fail('%s.coordinator: unknown broker %d', where, g.coordinator)
        g.protocol_type = str(spec.get('protocol_type', 'consumer') or '')
        g.protocol = str(spec.get('protocol', 'range') or '')
        g.members = self._load_members(name, spec, where)
        g.offsets = self._load_offsets(spec.get('offsets') or {}, where + '.offsets')
        g.lag = self._load_lag(spec.get('lag') or {}, where + '.lag')
        if state == 'Stable' and not g.members:
            _fail('%s: a Stable group needs members', where)
        return g

    # ---- generators ------------------------------------------------------------
    def _generate_topics(self, spec, rng, where):
        _check_keys(where, spec, ('prefix', 'count', 'partitions', 'rf', 'log_start',
                                  'log_end', 'config', 'digits', 'under_replicated_every',
                                  'rate'))
        prefix = str(spec.get('prefix', 'topic-'))
        count = _int(where, spec.get('count', 1))
        nparts = _int(where, spec.get('partitions', 1))
        rf = _int(where, spec.get('rf', min(3, len(self.brokers))))
        digits = _int(where, spec.get('digits', len(str(max(0, count - 1)))))
        log_start = spec.get('log_start', 0)
        log_end = spec.get('log_end', 0)
        urp = _int(where, spec.get('under_replicated_every', 0))
        config = {str(k): config_str(v) for k, v in (spec.get('config') or {}).items()}
        ids = sorted(self.brokers)

        def val(v, w):
            if isinstance(v, list) and len(v) == 2:
                return rng.randint(_int(w, v[0]), _int(w, v[1]))
            return _int(w, v)

        for i in range(count):
            name = '%s%0*d' % (prefix, digits, i)
            if name in self.topics:
                _fail('%s: topic %s already exists', where, name)
            t = Topic(name)
            t.config = dict(config)
            t.rate = float(spec.get('rate', 0) or 0)
            start = i % len(ids)
            assigned = self._assign(name, nparts, rf, start=start)
            parts = []
            for p, reps in enumerate(assigned):
                ls = val(log_start, where)
                le = max(ls, val(log_end, where))
                isr = list(reps)
                if urp and p % urp == urp - 1 and len(isr) > 1:
                    isr = isr[:-1]
                parts.append(Partition(p, reps[0], reps, isr, [], ls, le, 0, None))
            t.partitions = parts
            self.topics[name] = t

    def _generate_groups(self, spec, rng, where):
        _check_keys(where, spec, ('prefix', 'count', 'digits', 'topics',
                                  'topics_per_group', 'members', 'lag', 'states',
                                  'protocol'))
        prefix = str(spec.get('prefix', 'group-'))
        count = _int(where, spec.get('count', 1))
        digits = _int(where, spec.get('digits', len(str(max(0, count - 1)))))
        pool = spec.get('topics')
        if pool is None:
            pool = [n for n, t in self.topics.items() if not t.internal]
        elif isinstance(pool, str):
            pool = sorted(n for n in self.topics if fnmatch.fnmatchcase(n, pool))
        pool = [str(p) for p in pool]
        if not pool:
            _fail('%s: no topics to consume', where)
        k = _int(where, spec.get('topics_per_group', 1))
        nmembers = _int(where, spec.get('members', 1))
        lag = spec.get('lag', 0)
        states = spec.get('states') or {'Stable': 1}
        state_names = list(states)
        weights = [float(states[s]) for s in state_names]
        for s in state_names:
            if s not in GROUP_STATES:
                _fail('%s.states: bad state %r', where, s)
        for i in range(count):
            name = '%s%0*d' % (prefix, digits, i)
            topics = [pool[(i * k + j) % len(pool)] for j in range(k)]
            state = rng.choices(state_names, weights)[0]
            if isinstance(lag, list) and len(lag) == 2:
                lg = rng.randint(_int(where, lag[0]), _int(where, lag[1]))
            else:
                lg = _int(where, lag)
            gspec = {'state': state, 'topics': topics,
                     'lag': {t: lg for t in topics},
                     'protocol': spec.get('protocol', 'range')}
            if state in ('Stable', 'PreparingRebalance', 'CompletingRebalance'):
                gspec['members'] = nmembers
            self.groups[name] = self._load_group(name, gspec, where)

    # ==========================================================================
    # State dumps (control channel)
    # ==========================================================================
    def summary(self):
        now = self.now()
        topics = {}
        for t in self.topics.values():
            urp = sum(1 for p in t.partitions if len(p.isr) < len(p.replicas))
            offline = sum(1 for p in t.partitions
                          if p.leader == -1 or not self.alive(p.leader))
            topics[t.name] = {'partitions': len(t.partitions),
                              'under_replicated': urp, 'offline': offline,
                              'internal': t.internal, 'rate': t.rate}
        return {
            'cluster_id': self.cluster_id, 'controller': self.controller,
            'kafka_version': self.kafka_version, 'clock': round(now, 3),
            'brokers': [{'id': b.id, 'rack': b.rack, 'port': b.port,
                         'alive': b.alive} for b in self.brokers.values()],
            'topics': topics if len(topics) <= 200 else {'count': len(topics)},
            'groups': ({n: g.state for n, g in self.groups.items()}
                       if len(self.groups) <= 200 else {'count': len(self.groups)}),
            'steps': [s.as_dict() for s in self.steps],
            'next_step': (self.steps[self.next_step].name
                          if self.next_step < len(self.steps) else None),
            'errors': [e.as_dict() for e in self.errors],
            'version': self.version,
        }

    def topic_state(self, name):
        t = self.topics.get(name)
        if t is None:
            _fail('unknown topic %r', name)
        now = self.now()
        parts = []
        for p in t.partitions:
            d = p.as_dict()
            d['log_end'] = t.log_end_now(p, now)
            parts.append(d)
        return {'name': t.name, 'internal': t.internal,
                'error': None if t.error is None else error_name(t.error),
                'config': dict(t.config), 'rate': t.rate, 'partitions': parts}

    def group_state(self, name):
        g = self.groups.get(name)
        coord = self.coordinator_for(name)
        if g is None:
            return {'name': name, 'state': 'Dead', 'exists': False,
                    'coordinator': coord}
        committed = self.committed(g, self.now())
        return {'name': g.name, 'state': g.state, 'coordinator': coord,
                'protocol_type': g.protocol_type, 'protocol': g.protocol,
                'members': [m.as_dict() for m in g.members],
                'offsets': {t: {str(p): c.offset for p, c in sorted(d.items())}
                            for t, d in sorted(committed.items())},
                'lag_following': sorted(g.lag)}


def _load_committed(v, where):
    if isinstance(v, dict):
        _check_keys(where, v, ('offset', 'metadata', 'leader_epoch'))
        return CommittedOffset(_int(where, v['offset']),
                               '' if v.get('metadata') is None else str(v['metadata']),
                               _int(where, v.get('leader_epoch', -1)))
    return CommittedOffset(_int(where, v))


def _load_max_versions(spec, where):
    out = {}
    for k, v in (spec or {}).items():
        try:
            out[api_key(k)] = _int(where, v)
        except ValueError as e:
            _fail('%s: %s', where, e)
    return out


def _as_list(v):
    if v is None:
        return []
    if isinstance(v, (list, tuple)):
        return list(v)
    return [v]


def _set_or_del(d, key, value):
    if value is None:
        d.pop(key, None)
    else:
        d[key] = value


def split_path(path):
    """'topics.orders.partitions.0.isr' -> [...]; brackets quote a segment
    containing dots: 'topics[my.topic].config[retention.ms]'."""
    if isinstance(path, (list, tuple)):
        return [str(p) for p in path]
    path = str(path)
    out = []
    cur = ''
    i = 0
    while i < len(path):
        c = path[i]
        if c == '.':
            if cur:
                out.append(cur)
            cur = ''
        elif c == '[':
            j = path.find(']', i)
            if j < 0:
                _fail('unbalanced [ in path %r', path)
            if cur:
                out.append(cur)
            out.append(path[i + 1:j])
            cur = ''
            i = j
        else:
            cur += c
        i += 1
    if cur:
        out.append(cur)
    return out


def load_scenario_file(path, clock=None):
    with open(path) as f:
        spec = yaml.safe_load(f)
    return Cluster(clock).load(spec)


def offset_for_timestamp(topic, p, log_end, epoch_ms, ts):
    """ListOffsets by timestamp over the synthetic linear timestamp model:
    offset o has timestamp base + o * step.  Returns (timestamp, offset) of
    the first offset in [log_start, log_end) with timestamp >= ts, or
    (-1, -1) if there is none (Kafka's behaviour)."""
    base = topic.ts_base_ms if topic.ts_base_ms is not None else epoch_ms
    step = topic.ts_step_ms
    if log_end <= p.log_start:
        return -1, -1
    o = max(p.log_start, int(math.ceil((ts - base) / float(step))))
    if o >= log_end:
        return -1, -1
    return base + o * step, o
