#!/usr/bin/python3
"""Kafka scenario test broker.

Speaks the real Kafka wire protocol on 127.0.0.1 (one TCP listener per
broker of the scenario) and serves the read-only APIs an auditing client
needs, from a YAML scenario that can change over time.  See README.md.

  kafka_scenario_broker.py SCENARIO.yaml --ports-file F [--control-port-file C]
  kafka_scenario_broker.py ctl --control-port-file C step
  kafka_scenario_broker.py --check SCENARIO.yaml

Must run with Debian's /usr/bin/python3 (python3-kafka, python3-yaml).
"""

import os
import sys

sys.dont_write_bytecode = True      # keep the source tree clean (no __pycache__)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import argparse          # noqa: E402
import asyncio           # noqa: E402
import io                # noqa: E402
import json              # noqa: E402
import signal            # noqa: E402
import socket            # noqa: E402
import struct            # noqa: E402
import time              # noqa: E402
import traceback         # noqa: E402

import yaml              # noqa: E402

import broker_configs as C    # noqa: E402
import broker_model as M      # noqa: E402
import broker_protocol as P   # noqa: E402
from kafka.protocol.types import Int32  # noqa: E402

HOST = '127.0.0.1'
INT32_MIN = -2147483648
MAX_REQUEST = 100 * 1024 * 1024
# Authorized-operation bitfields (AclOperation codes) of a read-only
# principal, returned only when a client asks for them.
TOPIC_OPS = (1 << 3) | (1 << 8) | (1 << 10)     # READ, DESCRIBE, DESCRIBE_CONFIGS
CLUSTER_OPS = (1 << 8) | (1 << 10)              # DESCRIBE, DESCRIBE_CONFIGS
GROUP_OPS = (1 << 3) | (1 << 8)                 # READ, DESCRIBE


def log_stderr(quiet, msg, *args):
    if not quiet:
        sys.stderr.write('[ksb] ' + (msg % args if args else msg) + '\n')
        sys.stderr.flush()


def write_atomic(path, text):
    tmp = '%s.tmp.%d' % (path, os.getpid())
    with open(tmp, 'w') as f:
        f.write(text)
    os.replace(tmp, path)


# ==========================================================================
# Stats and request log
# ==========================================================================


class Stats(object):
    def __init__(self):
        self.reset()
        self.changed = asyncio.Event()

    def reset(self):
        self.per_broker = {}      # bid -> {'requests': {}, 'versions': {}, 'connections': n}
        self.forbidden = {}
        self.rejected = {}
        self.unsupported_versions = {}
        self.auto_create = {}
        self.injected = {}

    def _b(self, bid):
        return self.per_broker.setdefault(
            bid, {'requests': {}, 'versions': {}, 'connections': 0})

    def request(self, bid, name, version):
        b = self._b(bid)
        b['requests'][name] = b['requests'].get(name, 0) + 1
        vs = b['versions'].setdefault(name, {})
        vs[str(version)] = vs.get(str(version), 0) + 1
        self.changed.set()
        self.changed = asyncio.Event()

    def connection(self, bid):
        self._b(bid)['connections'] += 1

    @staticmethod
    def bump(d, key):
        d[key] = d.get(key, 0) + 1

    def total(self, name=None):
        tot = {}
        for b in self.per_broker.values():
            for k, v in b['requests'].items():
                tot[k] = tot.get(k, 0) + v
        if name is None:
            return tot
        return tot.get(name, 0)

    def as_dict(self):
        versions = {}
        for b in self.per_broker.values():
            for api, vs in b['versions'].items():
                d = versions.setdefault(api, {})
                for v, n in vs.items():
                    d[v] = d.get(v, 0) + n
        return {
            'brokers': {str(k): v for k, v in sorted(self.per_broker.items())},
            'total': self.total(),
            'versions': versions,
            'forbidden': dict(self.forbidden),
            'forbidden_total': sum(self.forbidden.values()),
            'rejected': dict(self.rejected),
            'unsupported_versions': dict(self.unsupported_versions),
            'auto_create_topic_requests': dict(self.auto_create),
            'injected_errors': dict(self.injected),
        }


class RequestLog(object):
    def __init__(self, path):
        self.f = None
        if path == '-':
            self.f = sys.stderr
        elif path:
            self.f = open(path, 'a', buffering=1)

    def write(self, **kw):
        if self.f is None:
            return
        parts = ['%.3f' % time.time()]
        for k, v in kw.items():
            if v is None or v == '':
                continue
            s = str(v)
            if ' ' in s or '"' in s:
                s = json.dumps(s)
            parts.append('%s=%s' % (k, s))
        self.f.write(' '.join(parts) + '\n')

    def close(self):
        if self.f is not None and self.f is not sys.stderr:
            self.f.close()
        self.f = None


# ==========================================================================
# One listener per broker
# ==========================================================================


class BrokerListener(object):
    def __init__(self, app, broker):
        self.app = app
        self.broker = broker
        self.server = None
        self.conns = set()

    @property
    def listening(self):
        return self.server is not None

    async def start(self):
        port = self.broker.port or self.broker.requested_port or 0
        self.server = await asyncio.start_server(
            self._handle, HOST, port, reuse_address=True)
        self.broker.port = self.server.sockets[0].getsockname()[1]

    def stop(self):
        """Stop listening and drop every connection (simulates a crash)."""
        if self.server is not None:
            self.server.close()
            self.server = None
        for w in list(self.conns):
            w.transport.abort()
        self.conns.clear()

    async def _handle(self, reader, writer):
        bid = self.broker.id
        peer = writer.get_extra_info('peername')
        peer = '%s:%s' % peer[:2] if peer else '?'
        self.conns.add(writer)
        self.app.stats.connection(bid)
        conn = {'peer': peer, 'client_id': None}
        try:
            while True:
                hdr = await reader.readexactly(4)
                size = int.from_bytes(hdr, 'big', signed=True)
                if size < 8 or size > MAX_REQUEST:
                    self.app.log.write(broker=bid, peer=peer, event='bad-frame',
                                       size=size)
                    break
                payload = await reader.readexactly(size)
                resp = await self.app.dispatch(self.broker, payload, conn)
                if resp is None:
                    break
                writer.write(len(resp).to_bytes(4, 'big'))
                writer.write(resp)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        except asyncio.CancelledError:
            raise
        except Exception:   # never let one bad request kill the broker
            self.app.log.write(broker=bid, peer=peer, event='handler-crash',
                               error=traceback.format_exc().replace('\n', ' | '))
            log_stderr(self.app.quiet, 'broker %d: handler error:\n%s', bid,
                       traceback.format_exc())
        finally:
            self.conns.discard(writer)
            try:
                writer.close()
            except Exception:
                pass


# ==========================================================================
# The application: dispatch + handlers + control channel
# ==========================================================================


class App(object):
    def __init__(self, cluster, args):
        self.cluster = cluster
        self.args = args
        self.quiet = args.quiet
        self.stats = Stats()
        self.log = RequestLog(args.log)
        self.listeners = {bid: BrokerListener(self, b)
                          for bid, b in cluster.brokers.items()}
        self.cli_max_versions = {}
        for item in args.max_version or []:
            k, _, v = item.partition('=')
            self.cli_max_versions[P.api_key(k)] = int(v)
        self.stop_event = asyncio.Event()
        self.timeline_kick = asyncio.Event()
        self.step_pulse = asyncio.Event()
        self.control_server = None
        self.control_conns = set()
        self.tasks = []
        self.handlers = {
            18: self.h_api_versions, 3: self.h_metadata,
            32: self.h_describe_configs, 10: self.h_find_coordinator,
            16: self.h_list_groups, 15: self.h_describe_groups,
            9: self.h_offset_fetch, 2: self.h_list_offsets,
        }

    # ---- versions ---------------------------------------------------------
    def advertised(self, broker):
        caps = dict(self.cluster.max_versions)
        caps.update(broker.max_versions)
        caps.update(self.cli_max_versions)
        out = {}
        for key, spec in P.SERVED.items():
            mx = min(spec.max_version, caps.get(key, spec.max_version))
            if key == 18:
                mx = max(mx, 0)       # ApiVersions can't be switched off
            if mx >= spec.min_version:
                out[key] = (spec.min_version, mx)
        if self.cluster.trap_write_apis:
            for key, (lo, hi) in P.TRAP_APIS.items():
                mx = min(hi, caps.get(key, hi))
                if mx >= lo:
                    out[key] = (lo, mx)
        return out

    # ---- errors -------------------------------------------------------------
    def rule(self, api, bid, consume=True, **attrs):
        for r in self.cluster.errors:
            if r.code is not None and r.matches(api, bid, **attrs):
                if consume:
                    r.hits += 1
                    Stats.bump(self.stats.injected, '%s:%s' % (P.api_name(api),
                                                               P.error_name(r.code)))
                return r
        return None

    def any_partition_rule(self, api, bid, topic):
        for r in self.cluster.errors:
            if (r.code is not None and r.partition is not None and r.active and
                    (r.api is None or r.api == api) and
                    (r.on_broker is None or r.on_broker == bid) and
                    r._m(r.topic, topic)):
                return True
        return False

    # ---- dispatch -------------------------------------------------------------
    async def dispatch(self, broker, payload, conn):
        t0 = time.monotonic()
        bid = broker.id
        api, ver, corr = P.peek_request_header(payload)
        name = P.api_name(api)
        self.stats.request(bid, name, ver)
        adv = self.advertised(broker)
        logkw = dict(broker=bid, peer=conn['peer'], api=name, v=ver, corr=corr,
                     size=len(payload))

        if api == 18 and not adv[18][0] <= ver <= adv[18][1]:
            # KIP-511: an ApiVersions request of an unsupported version is
            # answered in the v0 format with UNSUPPORTED_VERSION and the
            # supported ApiVersions range, so the client can retry lower.
            Stats.bump(self.stats.unsupported_versions, '%s:v%d' % (name, ver))
            body = P.encode(P.API_VERSIONS.responses[0], {
                'error_code': 35,
                'api_versions': [{'api_key': 18, 'min_version': adv[18][0],
                                  'max_version': adv[18][1]}]})
            self.log.write(**logkw, outcome='UNSUPPORTED_VERSION',
                           resp=len(body) + 4)
            return P.response_header(corr, False) + body

        spec = P.SERVED.get(api)
        if api not in adv or (spec is None and api not in P.TRAP_APIS):
            if api in P.WRITE_APIS:
                Stats.bump(self.stats.forbidden, name)
                self.log.write(**logkw, outcome='FORBIDDEN', note='write API, not advertised')
            else:
                Stats.bump(self.stats.rejected, name)
                self.log.write(**logkw, outcome='REJECTED', note='API not served')
            log_stderr(self.quiet, 'broker %d: rejected %s v%d (closing connection)',
                       bid, name, ver)
            return None
        if spec is None:
            # trap mode: advertised write API
            Stats.bump(self.stats.forbidden, name)
            self.log.write(**logkw, outcome='FORBIDDEN', note='write API (trap)')
            log_stderr(self.quiet, 'broker %d: FORBIDDEN write request %s v%d '
                       '(closing connection)', bid, name, ver)
            return None
        if not adv[api][0] <= ver <= adv[api][1]:
            # A real broker fails to parse the request and closes the socket.
            Stats.bump(self.stats.unsupported_versions, '%s:v%d' % (name, ver))
            self.log.write(**logkw, outcome='UNSUPPORTED_VERSION')
            return None

        flexible = spec.flexible(ver)
        try:
            _, _, _, client_id, buf = P.decode_request_header(payload, flexible)
            schema = spec.requests[ver]
            req = P.to_dict(schema, schema.decode(buf))
        except Exception as e:
            self.log.write(**logkw, outcome='DECODE_ERROR', error=repr(e))
            log_stderr(self.quiet, 'broker %d: cannot decode %s v%d: %r', bid,
                       name, ver, e)
            return None
        conn['client_id'] = client_id
        trailing = len(payload) - buf.tell()

        # request-level rules: delay and/or close
        for r in self.cluster.errors:
            if r.request_level and r.matches(api, bid):
                r.hits += 1
                if r.delay_ms:
                    await asyncio.sleep(float(r.delay_ms) / 1000.0)
                if r.action == 'close':
                    self.log.write(**logkw, outcome='CLOSED', note='injected close')
                    return None

        ctx = {'notes': []}
        body = self.handlers[api](broker, ver, req, ctx)
        # ApiVersions responses always use response header v0.
        resp = P.response_header(corr, flexible and api != 18) + body
        if trailing:
            ctx['notes'].append('trailing_bytes=%d' % trailing)
        self.log.write(**logkw, client_id=client_id, outcome='OK',
                       resp=len(resp) + 4,
                       ms='%.2f' % ((time.monotonic() - t0) * 1000),
                       note=' '.join(ctx['notes']))
        return resp

    # ==========================================================================
    # Handlers (each returns the encoded response body)
    # ==========================================================================
    def h_api_versions(self, broker, ver, req, ctx):
        adv = self.advertised(broker)
        if ver >= 3:
            ctx['notes'].append('client=%s/%s' % (req.get('client_software_name'),
                                                  req.get('client_software_version')))
        keys = [{'api_key': k, 'min_version': lo, 'max_version': hi}
                for k, (lo, hi) in sorted(adv.items())]
        return P.encode(P.API_VERSIONS.responses[ver], {
            'error_code': 0, 'api_versions': keys, 'throttle_time_ms': 0})

    # ---- Metadata -------------------------------------------------------------
    def _partition_tuple(self, p, fam, err_override=None):
        c = self.cluster
        leader = p.leader if c.alive(p.leader) else -1
        err = p.error if p.error is not None else (5 if leader == -1 else 0)
        reps, isr = p.replicas, p.isr
        if fam == 0:
            # ZkMetadataCache: v0 filters out replicas on dead brokers and
            # reports REPLICA_NOT_AVAILABLE (errorUnavailableEndpoints).
            fr = [r for r in reps if c.alive(r)]
            fi = [r for r in isr if c.alive(r)]
            if err == 0 and (len(fr) < len(reps) or len(fi) < len(isr)):
                err = 9
            reps, isr = fr, fi
        if err_override is not None:
            err = err_override
        if fam <= 1:
            return (err, p.index, leader, reps, isr)
        if fam == 5:
            return (err, p.index, leader, reps, isr, p.offline)
        return (err, p.index, leader, p.leader_epoch, reps, isr, p.offline)

    def _topic_element(self, t, fam, topic_ops, part_errs=None, topic_err=None):
        err = topic_err if topic_err is not None else (t.error or 0)
        parts = [] if err else [
            self._partition_tuple(p, fam, (part_errs or {}).get(p.index))
            for p in t.partitions]
        if fam == 0:
            el = (err, t.name, parts)
        elif fam in (1, 5, 7):
            el = (err, t.name, t.internal, parts)
        else:
            el = (err, t.name, t.internal, parts, topic_ops)
        return P.META_TOPIC[fam].encode(el)

    def _missing_topic_element(self, name, fam, code, topic_ops):
        if fam == 0:
            el = (code, name, [])
        elif fam in (1, 5, 7):
            el = (code, name, False, [])
        else:
            el = (code, name, False, [], topic_ops)
        return P.META_TOPIC[fam].encode(el)

    def h_metadata(self, broker, ver, req, ctx):
        c = self.cluster
        bid = broker.id
        fam = P.metadata_family(ver)
        requested = req['topics']
        if ver == 0 and not requested:
            requested = None           # v0: empty array means all topics
        all_topics = requested is None
        allow_auto = req.get('allow_auto_topic_creation', True) if ver >= 4 else True
        topic_ops = (TOPIC_OPS if req.get('include_topic_authorized_operations')
                     else INT32_MIN)
        if all_topics:
            names = list(c.topics)
            ctx['notes'].append('topics=all')
        else:
            names = list(dict.fromkeys(requested))
            ctx['notes'].append('topics=%d' % len(names))
        has_rules = any(r.code is not None and r.active and r.api in (None, 3)
                        for r in c.errors)
        blobs = []
        for name in names:
            t = c.topics.get(name)
            if t is None:
                if all_topics:
                    continue
                if allow_auto:
                    # A real broker with auto.create.topics.enable=true would
                    # create the topic.  We never do, but count the request
                    # (whatever the broker config): an auditor must not ask.
                    Stats.bump(self.stats.auto_create, name)
                    auto = c.configs.effective(bid, 'auto.create.topics.enable')[0]
                    ctx['notes'].append('AUTO_CREATE_REQUESTED=%s(broker_allows=%s)'
                                        % (name, auto))
                blobs.append(self._missing_topic_element(name, fam, 3, topic_ops))
                continue
            if has_rules:
                r = self.rule(3, bid, topic=name)
                if r is not None:
                    if all_topics and r.code == 29:
                        continue   # unauthorized topics are silently omitted
                    blobs.append(self._topic_element(t, fam, topic_ops,
                                                     topic_err=r.code))
                    continue
                if self.any_partition_rule(3, bid, name):
                    perrs = {}
                    for p in t.partitions:
                        pr = self.rule(3, bid, topic=name, partition=p.index)
                        if pr is not None:
                            perrs[p.index] = pr.code
                    blobs.append(self._topic_element(t, fam, topic_ops, perrs))
                    continue
            key = (fam, topic_ops)
            blob = t.cache.get(key)
            if blob is None:
                blob = self._topic_element(t, fam, topic_ops)
                t.cache[key] = blob
            blobs.append(blob)
        topics_raw = Int32.encode(len(blobs)) + b''.join(blobs)
        alive = [b for _, b in sorted(c.brokers.items()) if b.alive]
        if ver == 0:
            brokers = [(b.id, HOST, b.port) for b in alive]
        else:
            brokers = [(b.id, HOST, b.port, b.rack) for b in alive]
        schema = P.METADATA_RESPONSE_RAW[ver]
        if ver == 0:
            return schema.encode((brokers, topics_raw))
        if ver == 1:
            return schema.encode((brokers, c.controller, topics_raw))
        if ver == 2:
            return schema.encode((brokers, c.cluster_id, c.controller, topics_raw))
        if ver <= 7:
            return schema.encode((0, brokers, c.cluster_id, c.controller, topics_raw))
        cluster_ops = (CLUSTER_OPS if req.get('include_cluster_authorized_operations')
                       else INT32_MIN)
        return schema.encode((0, brokers, c.cluster_id, c.controller, topics_raw,
                              cluster_ops))

    # ---- DescribeConfigs -------------------------------------------------------
    def h_describe_configs(self, broker, ver, req, ctx):
        c = self.cluster
        bid = broker.id
        include_syn = bool(req.get('include_synonyms')) if ver >= 1 else False
        results = []
        for res in req['resources']:
            rtype, rname, keys = res['resource_type'], res['resource_name'], res['config_names']
            keys = None if keys is None else set(keys)
            code, msg, entries = 0, None, []
            ctx['notes'].append('%s:%s' % ({2: 'topic', 4: 'broker', 8: 'broker_logger'}
                                           .get(rtype, rtype), rname))
            if rtype == C.RESOURCE_TOPIC:
                r = self.rule(32, bid, topic=rname)
                t = c.topics.get(rname)
                if r is not None and r.code == M.OMIT:
                    ctx['notes'].append('omitted')
                    continue
                if r is not None:
                    code, msg = r.code, r.message or P.error_message(r.code)
                elif t is None:
                    code, msg = 3, "The topic '%s' does not exist." % rname
                else:
                    entries = c.configs.topic_entries(bid, t.config, keys, include_syn)
            elif rtype == C.RESOURCE_BROKER:
                r = self.rule(32, bid, broker=rname)
                if r is not None:
                    code, msg = r.code, r.message or P.error_message(r.code)
                elif rname == '':
                    entries = c.configs.broker_default_entries(keys, include_syn)
                elif rname.strip().lstrip('-').isdigit() and int(rname) == bid:
                    entries = c.configs.broker_entries(bid, keys, include_syn)
                else:
                    code = 42
                    msg = ('Unexpected broker id, expected %d or empty string, '
                           'but received %s' % (bid, rname))
            elif rtype == C.RESOURCE_BROKER_LOGGER:
                if rname.strip().lstrip('-').isdigit() and int(rname) == bid:
                    entries = [C.ConfigEntry(n, 'INFO', False, 6, False, [])
                               for n in ('kafka', 'root') if keys is None or n in keys]
                else:
                    code, msg = 42, 'Unexpected broker id %s' % rname
            else:
                code, msg = 42, 'Unsupported resource type %d' % rtype
            if code:
                ctx['notes'].append('error=%s' % P.error_name(code))
            if ver == 0:
                enc = [(e.name, e.value, e.read_only,
                        e.source == C.SOURCE_DEFAULT, e.sensitive) for e in entries]
            else:
                enc = [(e.name, e.value, e.read_only, e.source, e.sensitive,
                        list(e.synonyms)) for e in entries]
            results.append((code, msg, rtype, rname, enc))
        return P.DESCRIBE_CONFIGS.responses[ver].encode((0, results))

    # ---- FindCoordinator --------------------------------------------------------
    def h_find_coordinator(self, broker, ver, req, ctx):
        c = self.cluster
        key = req['consumer_group'] if ver == 0 else req['coordinator_key']
        ktype = 0 if ver == 0 else req['coordinator_type']
        ctx['notes'].append('key=%s type=%d' % (key, ktype))
        r = self.rule(10, broker.id, group=key)
        code, msg, node, host, port = 0, 'NONE', -1, '', -1
        if r is not None:
            code, msg = r.code, r.message or P.error_message(r.code)
        elif ktype not in (0, 1):
            code, msg = 42, 'Unsupported key type %d' % ktype
        else:
            cid = c.coordinator_for(key)
            if cid is None:
                code, msg = 15, P.error_message(15)
            else:
                node, host, port = cid, HOST, c.brokers[cid].port
                ctx['notes'].append('coordinator=%d' % cid)
        if ver == 0:
            return P.FIND_COORDINATOR.responses[0].encode((code, node, host, port))
        return P.FIND_COORDINATOR.responses[ver].encode(
            (0, code, msg, node, host, port))

    # ---- ListGroups --------------------------------------------------------------
    def h_list_groups(self, broker, ver, req, ctx):
        c = self.cluster
        r = self.rule(16, broker.id)
        states = set(req.get('states_filter') or []) if ver >= 4 else set()
        groups = []
        code = 0
        if r is not None and r.code == M.MALFORMED:
            # cut after the error code: librdkafka's ListGroups parser
            # (rd_kafka_ListConsumerGroupsResponse_parse, 2.0.2 and later)
            # then frees lists it never initialised (a crash)
            ctx['notes'].append('malformed')
            return struct.pack('>h', 0) if ver == 0 else struct.pack('>ih', 0, 0)
        if r is not None:
            code = r.code
        else:
            for g in c.groups.values():
                if not g.exists or c.coordinator_for(g.name) != broker.id:
                    continue
                if states and g.state not in states:
                    continue
                gr = self.rule(16, broker.id, group=g.name)
                if gr is not None and gr.code == 30:
                    continue   # groups without DESCRIBE permission are omitted
                groups.append(g)
        ctx['notes'].append('groups=%d' % len(groups))
        if ver == 0:
            return P.LIST_GROUPS.responses[0].encode(
                (code, [(g.name, g.protocol_type) for g in groups]))
        if ver <= 2:
            return P.LIST_GROUPS.responses[ver].encode(
                (0, code, [(g.name, g.protocol_type) for g in groups]))
        if ver == 3:
            return P.LIST_GROUPS.responses[3].encode(
                (0, code, [(g.name, g.protocol_type, None) for g in groups], None))
        return P.LIST_GROUPS.responses[4].encode(
            (0, code, [(g.name, g.protocol_type, g.state, None) for g in groups], None))

    # ---- DescribeGroups ------------------------------------------------------------
    def h_describe_groups(self, broker, ver, req, ctx):
        c = self.cluster
        bid = broker.id
        ops = GROUP_OPS if req.get('include_authorized_operations') else INT32_MIN
        out = []
        for name in req['groups']:
            r = self.rule(15, bid, group=name)
            coord = c.coordinator_for(name)
            code = 0
            if r is not None:
                code = r.code
            elif coord is None:
                code = 15
            elif coord != bid:
                code = 16
            g = c.groups.get(name)
            if code:
                state, ptype, proto, members = '', '', '', []
            elif g is None or not g.exists or g.kip848:
                state, ptype, proto, members = 'Dead', '', '', []
            else:
                stable = g.state == 'Stable'
                state, ptype = g.state, g.protocol_type
                proto = g.protocol if stable else ''
                members = []
                for m in g.members:
                    md, asg = m.encoded() if stable else (b'', b'')
                    if ver >= 4:
                        members.append((m.member_id, m.instance_id, m.client_id,
                                        m.host, md, asg))
                    else:
                        members.append((m.member_id, m.client_id, m.host, md, asg))
            ctx['notes'].append('%s:%s' % (name, P.error_name(code) if code else state))
            if ver >= 3:
                out.append((code, name, state, ptype, proto, members, ops))
            else:
                out.append((code, name, state, ptype, proto, members))
        if ver == 0:
            return P.DESCRIBE_GROUPS.responses[0].encode((out,))
        return P.DESCRIBE_GROUPS.responses[ver].encode((0, out))

    # ---- OffsetFetch -----------------------------------------------------------------
    def h_offset_fetch(self, broker, ver, req, ctx):
        c = self.cluster
        bid = broker.id
        gid = req['consumer_group'] if ver <= 5 else req['group_id']
        topics = req['topics']
        if ver < 2 and topics is None:
            topics = []
        ctx['notes'].append('group=%s topics=%s' % (
            gid, 'null(all)' if topics is None else len(topics)))
        r = self.rule(9, bid, group=gid)
        coord = c.coordinator_for(gid)
        gerr = r.code if r is not None else (15 if coord is None else
                                             (16 if coord != bid else 0))
        flex = ver >= 6

        def part(pidx, off, epoch, meta, err):
            if ver <= 4:
                return (pidx, off, meta, err)
            if not flex:
                return (pidx, off, epoch, meta, err)
            return (pidx, off, epoch, meta, err, None)

        def topic(name, parts):
            return (name, parts, None) if flex else (name, parts)

        out = []
        if gerr:
            ctx['notes'].append('error=%s' % P.error_name(gerr))
            if ver < 2:
                # v0/v1 have no top-level error: Kafka reports it per partition
                for tt in topics:
                    out.append(topic(tt['topic'], [part(p, -1, -1, '', gerr)
                                                   for p in tt['partitions']]))
        else:
            g = c.groups.get(gid)
            committed = c.committed(g, c.now()) if g is not None and g.exists else {}
            if topics is None:
                for tname in sorted(committed):
                    tr = self.rule(9, bid, group=gid, topic=tname)
                    if tr is not None and tr.code == 29:
                        continue   # unauthorized topics are filtered from "all"
                    if tr is not None:
                        parts = [part(p, -1, -1, '', tr.code)
                                 for p in sorted(committed[tname])]
                    else:
                        parts = [part(p, co.offset, co.leader_epoch, co.metadata, 0)
                                 for p, co in sorted(committed[tname].items())]
                    out.append(topic(tname, parts))
            else:
                for tt in topics:
                    tname = tt['topic']
                    d = committed.get(tname, {})
                    parts = []
                    for p in tt['partitions']:
                        pr = (self.rule(9, bid, group=gid, topic=tname, partition=p)
                              if self._has_topic_rule(9, tname) else None)
                        if pr is not None:
                            parts.append(part(p, -1, -1, '', pr.code))
                            continue
                        co = d.get(p)
                        if co is None:
                            parts.append(part(p, -1, -1, '', 0))
                        else:
                            parts.append(part(p, co.offset, co.leader_epoch,
                                              co.metadata, 0))
                    out.append(topic(tname, parts))
        schema = P.OFFSET_FETCH.responses[ver]
        if ver < 2:
            return schema.encode((out,))
        if ver == 2:
            return schema.encode((out, gerr))
        if not flex:
            return schema.encode((0, out, gerr))
        return schema.encode((0, out, gerr, None))

    def _has_topic_rule(self, api, tname):
        for r in self.cluster.errors:
            if (r.code is not None and r.active and r.api in (None, api) and
                    r.topic is not None and r._m(r.topic, tname)):
                return True
        return False

    # ---- ListOffsets -------------------------------------------------------------------
    def h_list_offsets(self, broker, ver, req, ctx):
        c = self.cluster
        bid = broker.id
        now = c.now()
        out = []
        nparts = 0
        for tt in req['topics']:
            tname = tt['topic']
            t = c.topics.get(tname)
            parts = []
            for pp in tt['partitions']:
                nparts += 1
                pidx, ts = pp['partition'], pp['timestamp']
                cle = pp.get('current_leader_epoch', -1)
                code, rts, roff, epoch = 0, -1, -1, -1
                r = self.rule(2, bid, topic=tname, partition=pidx)
                if r is not None:
                    code = r.code
                elif t is None or not 0 <= pidx < len(t.partitions):
                    code = 3
                else:
                    p = t.partitions[pidx]
                    if p.leader != bid:
                        code = 6
                    elif cle is not None and cle >= 0 and cle < p.leader_epoch:
                        code = 74
                    elif cle is not None and cle > p.leader_epoch:
                        code = 75
                    else:
                        epoch = p.leader_epoch
                        if ts == -1:
                            roff = t.log_end_now(p, now)
                        elif ts == -2:
                            roff = p.log_start
                        else:
                            rts, roff = M.offset_for_timestamp(
                                t, p, t.log_end_now(p, now), c.epoch_ms, ts)
                if ver == 0:
                    offs = [roff] if (code == 0 and roff >= 0) else []
                    parts.append((pidx, code, offs[:max(0, pp.get('max_offsets', 1))]))
                elif ver <= 3:
                    parts.append((pidx, code, rts, roff))
                else:
                    parts.append((pidx, code, rts, roff, epoch))
                if code:
                    ctx['notes'].append('%s-%d:%s' % (tname, pidx, P.error_name(code)))
            out.append((tname, parts))
        ctx['notes'].append('partitions=%d' % nparts)
        schema = P.LIST_OFFSETS.responses[ver]
        if ver <= 1:
            return schema.encode((out,))
        return schema.encode((0, out))

    # ==========================================================================
    # Lifecycle
    # ==========================================================================
    async def sync_listeners(self):
        """Make listeners match broker liveness (after any mutation)."""
        errors = []
        for bid, lst in self.listeners.items():
            b = self.cluster.brokers[bid]
            if b.alive and not lst.listening:
                try:
                    await lst.start()
                    log_stderr(self.quiet, 'broker %d listening on %s:%d', bid,
                               HOST, b.port)
                except OSError as e:
                    errors.append('broker %d: cannot listen on port %d: %s' %
                                  (bid, b.port, e))
            elif not b.alive and lst.listening:
                lst.stop()
                log_stderr(self.quiet, 'broker %d down', bid)
        return errors

    def bootstrap(self):
        return ','.join('%s:%d' % (HOST, b.port)
                        for _, b in sorted(self.cluster.brokers.items()) if b.alive)

    async def start(self):
        c = self.cluster
        # Brokers that start down still need a port for later broker-up.
        for b in c.brokers.values():
            if not b.alive and not b.port:
                if b.requested_port:
                    b.port = b.requested_port
                else:
                    s = socket.socket()
                    s.bind((HOST, 0))
                    b.port = s.getsockname()[1]
                    s.close()
        errs = await self.sync_listeners()
        if errs:
            raise OSError('; '.join(errs))
        self.control_server = await asyncio.start_server(
            self._control, HOST, self.args.control_port or 0, reuse_address=True)
        self.control_port = self.control_server.sockets[0].getsockname()[1]
        c.invalidate_all()   # listener ports are now known
        info = {'bootstrap': self.bootstrap(), 'control_port': self.control_port,
                'pid': os.getpid(),
                'brokers': {str(b.id): b.port for b in c.brokers.values()}}
        if self.args.info_file:
            write_atomic(self.args.info_file, json.dumps(info) + '\n')
        if self.args.control_port_file:
            write_atomic(self.args.control_port_file, '%d\n' % self.control_port)
        if self.args.ports_file:
            write_atomic(self.args.ports_file, info['bootstrap'] + '\n')
        log_stderr(self.quiet, 'ready: bootstrap %s control 127.0.0.1:%d',
                   info['bootstrap'], self.control_port)
        self.tasks.append(asyncio.ensure_future(self._timeline_loop()))
        if self.args.lifetime:
            self.tasks.append(asyncio.ensure_future(self._lifetime(self.args.lifetime)))
        if self.args.watch_pid:
            self.tasks.append(asyncio.ensure_future(self._watch_pid(self.args.watch_pid)))

    async def shutdown(self):
        for t in self.tasks:
            t.cancel()
        for t in self.tasks:
            try:
                await t
            except (asyncio.CancelledError, Exception):
                pass
        for lst in self.listeners.values():
            lst.stop()
        if self.control_server is not None:
            self.control_server.close()
        for w in list(self.control_conns):
            w.transport.abort()
        self.log.close()

    async def _lifetime(self, seconds):
        await asyncio.sleep(seconds)
        log_stderr(self.quiet, 'lifetime of %ss expired, exiting', seconds)
        self.stop_event.set()

    async def _watch_pid(self, pid):
        while True:
            await asyncio.sleep(0.5)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                log_stderr(self.quiet, 'watched pid %d is gone, exiting', pid)
                self.stop_event.set()
                return
            except PermissionError:
                pass

    # ---- timeline ---------------------------------------------------------------
    async def _apply_step(self, how, at=None):
        """how: None (next) or a step name; at: scenario time to record as
        the application time (due time of an `after:` step).  Returns
        (applied names, listener errors)."""
        c = self.cluster
        if how is None:
            steps = [c.apply_next()]
        else:
            steps = c.apply_through(how)
        if at is not None:
            # chain the next `after` from the due time, not from "now"
            c.last_step_time = at
            steps[-1].applied_at = at
        for s in steps:
            self.log.write(event='step', name=s.name)
            log_stderr(self.quiet, 'timeline step applied: %s', s.name)
        errs = await self.sync_listeners()
        self.timeline_kick.set()
        self.step_pulse.set()
        self.step_pulse = asyncio.Event()
        return [s.name for s in steps], errs

    async def _apply_due(self):
        """Apply every `after:` step that is due on the scenario clock."""
        applied = []
        while True:
            due = self.cluster.next_due()
            if due is None or due[1] > self.cluster.now() + 1e-9:
                return applied
            names, _ = await self._apply_step(None, at=due[1])
            applied.extend(names)

    async def _timeline_loop(self):
        c = self.cluster
        while True:
            self.timeline_kick.clear()
            await self._apply_due()
            due = c.next_due()
            if due is None or c.clock.manual:
                await self.timeline_kick.wait()
                continue
            delay = max(0.0, due[1] - c.now())
            try:
                await asyncio.wait_for(self.timeline_kick.wait(), delay)
            except asyncio.TimeoutError:
                pass

    # ---- control channel ------------------------------------------------------------
    async def _control(self, reader, writer):
        self.control_conns.add(writer)
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                line = line.decode('utf-8', 'replace').strip()
                if not line:
                    continue
                try:
                    reply = await self.command(line)
                except (M.ScenarioError, ValueError, KeyError) as e:
                    reply = {'ok': False, 'error': str(e)}
                except Exception as e:
                    reply = {'ok': False, 'error': 'internal error: %r' % e}
                    log_stderr(self.quiet, 'control error:\n%s', traceback.format_exc())
                writer.write((json.dumps(reply, sort_keys=True) + '\n').encode())
                await writer.drain()
                if reply.get('quit'):
                    self.stop_event.set()
                    break
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self.control_conns.discard(writer)
            try:
                writer.close()
            except Exception:
                pass

    async def command(self, line):
        words = line.split(None, 1)
        cmd = words[0].lower()
        rest = words[1].strip() if len(words) > 1 else ''
        c = self.cluster
        self.log.write(event='control', cmd=line[:200])
        if cmd == 'ping':
            return {'ok': True, 'pong': True}
        if cmd == 'help':
            return {'ok': True, 'commands': [
                'ping', 'state [topic NAME|group NAME|configs BROKER_ID]',
                'stats [reset]', 'steps', 'step [NAME]', 'advance SECONDS',
                'broker-down ID', 'broker-up ID', 'set PATH YAML_VALUE',
                'error YAML_RULE', 'clear-errors [NAME]',
                'wait-requests API COUNT [TIMEOUT_S]', 'wait-step NAME [TIMEOUT_S]',
                'bootstrap', 'versions [ID]',
                'mark TEXT', 'quit']}
        if cmd == 'quit':
            return {'ok': True, 'quit': True}
        if cmd == 'bootstrap':
            return {'ok': True, 'bootstrap': self.bootstrap()}
        if cmd == 'mark':
            self.log.write(event='mark', text=rest)
            return {'ok': True}
        if cmd == 'state':
            arg = rest.split()
            if not arg:
                return {'ok': True, 'state': c.summary()}
            if arg[0] == 'topic' and len(arg) == 2:
                return {'ok': True, 'topic': c.topic_state(arg[1])}
            if arg[0] == 'group' and len(arg) == 2:
                return {'ok': True, 'group': c.group_state(arg[1])}
            if arg[0] == 'configs' and len(arg) == 2:
                return {'ok': True, 'configs': [e.as_dict() for e in
                                                c.configs.broker_entries(int(arg[1]))]}
            return {'ok': False, 'error': 'usage: state [topic NAME|group NAME|configs ID]'}
        if cmd == 'stats':
            if rest == 'reset':
                self.stats.reset()
                return {'ok': True}
            return {'ok': True, 'stats': self.stats.as_dict()}
        if cmd == 'steps':
            return {'ok': True, 'steps': [s.as_dict() for s in c.steps],
                    'next': (c.steps[c.next_step].name
                             if c.next_step < len(c.steps) else None)}
        if cmd == 'step':
            names, errs = await self._apply_step(rest or None)
            return {'ok': not errs, 'applied': names, 'errors': errs,
                    'next': (c.steps[c.next_step].name
                             if c.next_step < len(c.steps) else None)}
        if cmd == 'advance':
            secs = M.parse_duration(rest)
            c.clock.advance(secs)   # works on the real clock too (jumps ahead)
            applied = await self._apply_due()
            self.timeline_kick.set()
            return {'ok': True, 'clock': round(c.now(), 3), 'applied': applied}
        if cmd in ('broker-down', 'broker-up'):
            bid = int(rest)
            if cmd == 'broker-down':
                c.broker_down(bid)
            else:
                c.broker_up(bid)
            errs = await self.sync_listeners()
            self.log.write(event=cmd, broker=bid)
            return {'ok': not errs, 'errors': errs, 'bootstrap': self.bootstrap()}
        if cmd == 'set':
            path, _, value = rest.partition(' ')
            if not path:
                return {'ok': False, 'error': 'usage: set PATH YAML_VALUE'}
            for t in c.topics.values():
                t.fold_growth(c.now())
            c.set_path(path, yaml.safe_load(value) if value.strip() else None)
            errs = await self.sync_listeners()
            return {'ok': not errs, 'errors': errs}
        if cmd == 'error':
            rule = M.ErrorRule(yaml.safe_load(rest), 'error command')
            c.errors.append(rule)
            return {'ok': True, 'errors': len(c.errors)}
        if cmd == 'clear-errors':
            before = len(c.errors)
            if rest:
                c.errors = [e for e in c.errors if e.name != rest]
            else:
                c.errors = []
            return {'ok': True, 'removed': before - len(c.errors)}
        if cmd == 'versions':
            bid = int(rest) if rest else sorted(c.brokers)[0]
            adv = self.advertised(c.brokers[bid])
            return {'ok': True, 'versions': {P.api_name(k): [lo, hi]
                                             for k, (lo, hi) in sorted(adv.items())}}
        if cmd == 'wait-step':
            a = rest.split()
            if len(a) not in (1, 2):
                return {'ok': False, 'error': 'usage: wait-step NAME [TIMEOUT_S]'}
            names = [st.name for st in c.steps]
            if a[0] not in names:
                return {'ok': False, 'error': 'unknown step %r' % a[0]}
            step = c.steps[names.index(a[0])]
            deadline = time.monotonic() + (float(a[1]) if len(a) == 2 else 10.0)
            while not step.applied:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return {'ok': False, 'error': 'timeout', 'step': step.name}
                try:
                    await asyncio.wait_for(self.step_pulse.wait(), remaining)
                except asyncio.TimeoutError:
                    pass
            return {'ok': True, 'step': step.name, 'applied_at': step.applied_at}
        if cmd == 'wait-requests':
            a = rest.split()
            if len(a) not in (2, 3):
                return {'ok': False, 'error': 'usage: wait-requests API COUNT [TIMEOUT_S]'}
            name = P.api_name(P.api_key(a[0]))
            want = int(a[1])
            timeout = float(a[2]) if len(a) == 3 else 10.0
            deadline = time.monotonic() + timeout
            while self.stats.total(name) < want:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return {'ok': False, 'error': 'timeout', 'api': name,
                            'count': self.stats.total(name)}
                try:
                    await asyncio.wait_for(self.stats.changed.wait(), remaining)
                except asyncio.TimeoutError:
                    pass
            return {'ok': True, 'api': name, 'count': self.stats.total(name)}
        return {'ok': False, 'error': 'unknown command %r (try help)' % cmd}


# ==========================================================================
# Self-check: prove the Raw-spliced Metadata encoding equals a full
# python3-kafka encode, and that every served schema round-trips.
# ==========================================================================


def self_check(cluster):
    app = App.__new__(App)
    app.cluster = cluster
    app.stats = Stats()
    app.quiet = True
    app.cli_max_versions = {}
    app.log = RequestLog(None)
    problems = []
    b = next(iter(cluster.brokers.values()))
    for ver in range(0, P.METADATA.max_version + 1):
        req = {'topics': None if ver else [], 'allow_auto_topic_creation': False}
        body = app.h_metadata(b, ver, req, {'notes': []})
        full = P.METADATA_RESPONSE_FULL[ver]
        decoded = full.decode(io.BytesIO(body))
        if full.encode(decoded) != body:
            problems.append('Metadata v%d: Raw splice != full encode' % ver)
    for spec in P.SERVED.values():
        for v in range(spec.min_version, spec.max_version + 1):
            for kind, schema in (('request', spec.requests[v]),
                                 ('response', spec.responses[v])):
                if not isinstance(schema, P.Schema):
                    problems.append('%s v%d %s: not a Schema' % (spec.name, v, kind))
    return problems


# ==========================================================================
# ctl client
# ==========================================================================


def ctl_main(argv):
    ap = argparse.ArgumentParser(prog='kafka_scenario_broker.py ctl',
                                 description='Send one control command.')
    ap.add_argument('--port', type=int)
    ap.add_argument('--control-port-file')
    ap.add_argument('--timeout', type=float, default=30.0)
    ap.add_argument('command', nargs=argparse.REMAINDER)
    a = ap.parse_args(argv)
    port = a.port
    if port is None and a.control_port_file:
        with open(a.control_port_file) as f:
            port = int(f.read().strip())
    if port is None or not a.command:
        ap.error('need --port/--control-port-file and a command')
    s = socket.create_connection((HOST, port), timeout=a.timeout)
    s.sendall((' '.join(a.command) + '\n').encode())
    buf = b''
    while not buf.endswith(b'\n'):
        chunk = s.recv(65536)
        if not chunk:
            break
        buf += chunk
    s.close()
    sys.stdout.write(buf.decode())
    try:
        return 0 if json.loads(buf.decode()).get('ok') else 1
    except ValueError:
        return 2


# ==========================================================================
# main
# ==========================================================================


def parse_args(argv):
    ap = argparse.ArgumentParser(
        description='Kafka wire-protocol scenario broker for tests.')
    ap.add_argument('scenario', help='scenario YAML file')
    ap.add_argument('--ports-file', help='write the bootstrap list here (atomically) '
                    'once every broker listens')
    ap.add_argument('--control-port', type=int, default=0,
                    help='control TCP port on 127.0.0.1 (default: pick a free one)')
    ap.add_argument('--control-port-file', help='write the control port here')
    ap.add_argument('--info-file', help='write JSON {bootstrap, brokers, control_port, pid}')
    ap.add_argument('--log', help='per-request log file ("-" = stderr)')
    ap.add_argument('--max-version', action='append', metavar='API=N',
                    help='cap an API version (overrides the scenario), repeatable')
    ap.add_argument('--trap-write-apis', action='store_true',
                    help='advertise write/group-membership APIs so a client would '
                    'send them; such requests are counted as forbidden')
    ap.add_argument('--manual-clock', action='store_true',
                    help='scenario clock only moves on "advance" (deterministic)')
    ap.add_argument('--lifetime', type=float, default=0,
                    help='exit after this many seconds (safety net for tests)')
    ap.add_argument('--watch-pid', type=int, default=0,
                    help='exit when this process disappears')
    ap.add_argument('--check', action='store_true',
                    help='load the scenario, run self-checks, print a summary, exit')
    ap.add_argument('-q', '--quiet', action='store_true', help='no stderr chatter')
    return ap.parse_args(argv)


async def amain(args, cluster):
    if args.trap_write_apis:
        cluster.trap_write_apis = True
    app = App(cluster, args)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, app.stop_event.set)
    try:
        await app.start()
        await app.stop_event.wait()
    finally:
        await app.shutdown()
    log_stderr(args.quiet, 'stopped')


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == 'ctl':
        return ctl_main(argv[1:])
    args = parse_args(argv)
    t0 = time.monotonic()
    try:
        cluster = M.load_scenario_file(args.scenario,
                                       M.Clock(manual=args.manual_clock))
    except (M.ScenarioError, OSError, yaml.YAMLError, ValueError) as e:
        sys.stderr.write('kafka_scenario_broker: %s: %s\n' % (args.scenario, e))
        return 2
    nparts = sum(len(t.partitions) for t in cluster.topics.values())
    log_stderr(args.quiet or args.check, 'loaded %s: %d brokers, %d topics, %d '
               'partitions, %d groups, %d steps in %.2fs', args.scenario,
               len(cluster.brokers), len(cluster.topics), nparts,
               len(cluster.groups), len(cluster.steps), time.monotonic() - t0)
    if args.check:
        problems = self_check(cluster)
        print(json.dumps({'ok': not problems, 'problems': problems,
                          'brokers': len(cluster.brokers),
                          'topics': len(cluster.topics), 'partitions': nparts,
                          'groups': len(cluster.groups),
                          'steps': [s.name for s in cluster.steps]}))
        return 1 if problems else 0
    try:
        asyncio.run(amain(args, cluster))
    except OSError as e:
        sys.stderr.write('kafka_scenario_broker: %s\n' % e)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
