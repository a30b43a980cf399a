#!/usr/bin/env python3
"""Hostile inputs for bench/hostile.sh: gen_hostile.py CASE SCALE DIR.

Writes one case into DIR (created) at SCALE (1 = the size the issue
measured; 0.5 and 0.25 give the growth).  Prints the command-line
arguments that lint (or top) should get, relative to DIR.
"""
import os
import sys


def w(path, text):
    with open(path, "w") as f:
        f.write(text)


def main():
    case, scale, d = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    os.makedirs(d, exist_ok=True)
    p = lambda n: os.path.join(d, n)
    if case == "dotenv":  # a big .env beside a 5-line compose file
        n = int(4e6 * scale) // 40
        w(p("docker-compose.yml"), "services:\n  kafka:\n    image: apache/kafka:3.7.0\n"
          "    environment:\n      KAFKA_NUM_PARTITIONS: ${PARTS}\n")
        w(p(".env"), "".join("VARIABLE_NUMBER_%09d=value%010d\n" % (i, i) for i in range(n)))
        print("docker-compose.yml")
    elif case == "envfile6":  # one env_file shared by six services
        n = int(2e6 * scale) // 40
        w(p("docker-compose.yml"), "services:\n" + "".join(
            "  kafka-%d:\n    image: apache/kafka:3.7.0\n    env_file: big.env\n"
            "    environment:\n      KAFKA_NODE_ID: %d\n" % (i, i) for i in range(1, 7)))
        w(p("big.env"), "".join("KAFKA_SETTING_NUMBER_%07d=v%010d\n" % (i, i) for i in range(n)))
        print("docker-compose.yml")
    elif case == "envfile_many":  # one 1 MB env file shared by 500 services
        n = int(500 * scale)
        w(p("docker-compose.yml"), "services:\n" + "".join(
            "  k%d:\n    image: apache/kafka:3.7.0\n    env_file: big.env\n"
            "    environment:\n      KAFKA_NODE_ID: %d\n" % (i, i) for i in range(1, n + 1)))
        w(p("big.env"), "".join("KAFKA_X_SETTING_%05d=%s\n" % (i, "v" * 100) for i in range(8000)))
        print("docker-compose.yml")
    elif case == "secrets":  # producer.properties with secret-sounding keys
        n = int(400000 * scale)
        w(p("producer.properties"), "acks=all\n" + "".join(
            "my.app.secret.password.%07d=s3cr3t-%07d\n" % (i, i) for i in range(n)))
        print("producer.properties")
    elif case == "brokers":  # many brokers in one manifest
        n = int(50000 * scale)
        w(p("m.yaml"), "kafkaudit: 1\ncluster:\n  name: c\n  kafka_version: \"3.7\"\n"
          "  config: {min.insync.replicas: 1}\n  brokers:\n" +
          "".join("    - {id: %d, rack: r%d}\n" % (i, i % 3) for i in range(n)))
        print("m.yaml")
    elif case == "baseline":  # a big baseline against many topics
        nt, nb = int(20000 * scale), int(200000 * scale)
        w(p("m.yaml"), "kafkaudit: 1\ntopics:\n" + "".join(
            "  t%d: {partitions: 3, replication_factor: 1}\n" % i for i in range(nt)))
        w(p("base.json"), '{"version": 1, "tool": "kafkaudit", "findings": [\n' + ",\n".join(
            '{"fingerprint": "%016x", "rule": "KA301", "object": "t%d", "key": null, '
            '"message": "m"}' % (i * 2654435761 % (1 << 64), i) for i in range(nb)) + "\n]}\n")
        print("--baseline base.json m.yaml")
    elif case == "nestedcount":  # nested quantifiers over many topics
        nt = int(200 * scale)
        w(p("m.yaml"), "kafkaudit: 1\ncluster:\n  name: c\ntopics:\n" + "".join(
            "  t%d: {partitions: 3, replication_factor: 1}\n" % i for i in range(nt)))
        os.makedirs(p("rules"), exist_ok=True)
        w(p("rules/r.yaml"), "rules:\n  - id: X900\n    title: nested\n    severity: info\n"
          "    scope: cluster\n    when: count(topics, count(topics, count(topics, "
          "count(topics, partitions > 0) > 0) > 0) > 0) > 0\n    message: m\n")
        print("--no-builtin-rules -r rules m.yaml")
    elif case == "unknown":  # a million unknown fields
        n = int(1000000 * scale)
        w(p("m.yaml"), "kafkaudit: 1\ntopics:\n  t:\n    partitions: 3\n" + "".join(
            "    unknown_field_%07d: 1\n" % i for i in range(n)))
        print("m.yaml")
    elif case == "longvalue":  # one 60 MB value on one line
        n = int(60e6 * scale)
        with open(p("server.properties"), "w") as f:
            f.write("broker.id=1\nlog.dirs=")
            f.write("x" * n)
            f.write("\n")
        print("--max-file-size 128M server.properties")
    elif case == "aliases":  # a 1 MiB scalar aliased many times
        n = int(20000 * scale)
        w(p("m.yaml"), "kafkaudit: 1\ntopics:\n  t0:\n    config:\n      x.description: &big "
          + "a" * (1 << 20) + "\n" + "".join("  t%d:\n    config: {x.description: *big}\n" % i
                                             for i in range(1, n)))
        print("m.yaml")
    elif case == "spring_aliases":  # the same in a Spring Boot application.yml
        n = int(20000 * scale)
        w(p("application.yml"), "spring:\n  kafka:\n    producer:\n      properties:\n"
          "        x.big0: &big " + "a" * (1 << 20) + "\n" +
          "".join("        x.big%d: *big\n" % i for i in range(1, n)))
        print("application.yml")
    elif case == "compose_aliases":  # and in the environment of compose services
        n = int(20000 * scale)
        w(p("docker-compose.yml"), "x-big: &big " + "a" * (1 << 20) + "\nservices:\n" + "".join(
            "  k%d:\n    image: apache/kafka:3.7.0\n    environment:\n      KAFKA_NODE_ID: %d\n"
            "      KAFKA_X_BIG: *big\n" % (i, i) for i in range(1, n)))
        print("docker-compose.yml")
    else:
        sys.exit("unknown case " + case)


main()
