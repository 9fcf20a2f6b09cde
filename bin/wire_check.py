#!/usr/bin/python3
"""Reads a Marquee topic without any of Marquee's Java code: librdkafka (python3-confluent-kafka)
reads committed records, the writer schema comes from the registry's Confluent API by the id in
the 5-byte header, and Apache Avro's Python library (python3-avro) decodes the body.

Usage: wire_check.py BOOTSTRAP REGISTRY_URL TOPIC [--expect N]
Prints one JSON object per record; exits 1 if fewer than N records decode, 2 on bad usage.
"""
import io
import json
import struct
import sys
import urllib.request

import avro.io
import avro.schema
from confluent_kafka import Consumer, TopicPartition


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    bootstrap, registry, topic = argv[1], argv[2].rstrip("/"), argv[3]
    expect = int(argv[argv.index("--expect") + 1]) if "--expect" in argv else 1
    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": "marquee-wire-check",
        "isolation.level": "read_committed",
        "enable.auto.commit": False,
        "auto.offset.reset": "earliest",
    })
    metadata = consumer.list_topics(topic, timeout=10)
    partitions = [TopicPartition(topic, p, 0) for p in metadata.topics[topic].partitions]
    ends = {tp.partition: consumer.get_watermark_offsets(tp, timeout=10)[1] for tp in partitions}
    consumer.assign(partitions)
    schemas = {}
    decoded = 0
    remaining = {p for p, end in ends.items() if end > 0}
    while remaining:
        message = consumer.poll(5.0)
        if message is None:
            break
        if message.error():
            print(f"kafka error: {message.error()}", file=sys.stderr)
            continue
        value = message.value()
        if value[0] != 0:
            print(f"offset {message.offset()}: not Confluent wire format", file=sys.stderr)
            continue
        schema_id = struct.unpack(">I", value[1:5])[0]
        if schema_id not in schemas:
            with urllib.request.urlopen(f"{registry}/schemas/ids/{schema_id}", timeout=10) as answer:
                schemas[schema_id] = avro.schema.parse(json.load(answer)["schema"])
        reader = avro.io.DatumReader(schemas[schema_id])
        record = reader.read(avro.io.BinaryDecoder(io.BytesIO(value[5:])))
        print(json.dumps(record, default=str))
        decoded += 1
        if message.offset() + 1 >= ends[message.partition()]:
            remaining.discard(message.partition())
    consumer.close()
    print(f"decoded {decoded} record(s) from {topic} with python3-avro", file=sys.stderr)
    return 0 if decoded >= expect else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
