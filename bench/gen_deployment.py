#!/usr/bin/env python3
"""Generate a large kafkaudit manifest for the lint benchmark.

gen_deployment.py TOPICS CLIENTS OUTDIR

Writes OUTDIR/cluster.yaml (cluster with 6 brokers) and OUTDIR/topics-N.yaml
files of 5,000 topics each plus OUTDIR/clients.yaml: a realistic mix of
topic overrides and producer/consumer configurations, some of them
defective so that rules fire.  Deterministic (no randomness)."""
import os
import sys

def main():
    topics, clients, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "cluster.yaml"), "w") as f:
        f.write("cluster:\n  name: bench\n  kafka_version: \"3.7\"\n  brokers:\n")
        for b in range(1, 7):
            f.write(f"    - {{id: {b}, rack: zone-{b % 3}}}\n")
        f.write("  config:\n    min.insync.replicas: 2\n    default.replication.factor: 3\n"
                "    auto.create.topics.enable: false\n")
    per_file = 5000
    for start in range(0, topics, per_file):
        with open(os.path.join(out, f"topics-{start // per_file:03d}.yaml"), "w") as f:
            f.write("topics:\n")
            for t in range(start, min(topics, start + per_file)):
                f.write(f"  topic-{t:06d}:\n    partitions: {6 + t % 24}\n")
                f.write(f"    replication_factor: {3 if t % 50 else 2}\n")
                f.write("    config:\n")
                f.write(f"      retention.ms: {86400000 * (1 + t % 7)}\n")
                if t % 97 == 0:
                    f.write("      min.insync.replicas: 1\n")
                if t % 13 == 0:
                    f.write("      cleanup.policy: compact\n")
    with open(os.path.join(out, "clients.yaml"), "w") as f:
        f.write("producers:\n")
        for c in range(clients // 2):
            kind = "java 3.6" if c % 3 else "librdkafka 2.3"
            f.write(f"  producer-{c:05d}:\n    client: {kind}\n")
            f.write(f"    topics: [topic-{(c * 7) % topics:06d}, topic-{(c * 11) % topics:06d}]\n")
            f.write("    config:\n")
            f.write(f"      acks: {'all' if c % 10 else 1}\n")
            f.write(f"      linger.ms: {c % 20}\n      batch.size: 65536\n")
            if c % 17 == 0:
                f.write("      retries: 5\n")
        f.write("consumers:\n")
        for c in range(clients - clients // 2):
            kind = "java 3.6" if c % 3 else "librdkafka 2.3"
            f.write(f"  consumer-{c:05d}:\n    client: {kind}\n    group: group-{c % 500:04d}\n")
            f.write(f"    topics: [topic-{(c * 5) % topics:06d}]\n")
            f.write("    config:\n")
            f.write(f"      enable.auto.commit: {'false' if c % 4 else 'true'}\n")
            f.write("      auto.offset.reset: earliest\n")

if __name__ == "__main__":
    main()
