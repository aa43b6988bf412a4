"""One benchmark scenario with kafka-python, for the bench/compare harness.

Takes the same flags as the Go client binaries and prints one JSON line:
{"records": N, "bytes": B, "seconds": S[, "p50_ms", "p99_ms", "p999_ms"]}.
"""

import argparse
import json
import re
import struct
import sys
import threading
import time

from kafka import KafkaConsumer, KafkaProducer, TopicPartition


def parse_args():
    ap = argparse.ArgumentParser()
    ap.add_argument("-mode", default="produce")
    ap.add_argument("-brokers", required=True)
    ap.add_argument("-topic", required=True)
    ap.add_argument("-partitions", type=int, default=6)
    ap.add_argument("-records", type=int, default=100000)
    ap.add_argument("-size", type=int, default=100)
    ap.add_argument("-payloads", default="")
    ap.add_argument("-compression", default="none")
    ap.add_argument("-linger", default="5ms")
    ap.add_argument("-batch-size", dest="batch_size", type=int, default=16384)
    ap.add_argument("-buffer-bytes", dest="buffer_bytes", type=int, default=32 << 20)
    ap.add_argument("-rate", type=int, default=2000)
    ap.add_argument("-warmup", type=int, default=0)
    ap.add_argument("-timeout", default="5m")
    ap.add_argument("-fresh-values", dest="fresh_values", action="store_true")  # Python copies anyway
    return ap.parse_args()


def duration_s(text):
    """Parses the Go durations the harness passes: 5ms, 10s, 10m0s, 1h2m3.5s."""
    units = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}
    parts = re.findall(r"([0-9.]+)(h|ms|m|s|us|µs|ns)", text)
    if not parts:
        return float(text)
    return sum(float(v) * units[u] for v, u in parts)


def producer(a):
    return KafkaProducer(
        bootstrap_servers=a.brokers.split(","),
        client_id="bench-kafka-python",
        acks="all",
        enable_idempotence=True,
        linger_ms=int(duration_s(a.linger) * 1000),
        batch_size=a.batch_size,
        # kafka-python 3 has no buffer_memory (-buffer-bytes): its buffer is unbounded.
        compression_type=None if a.compression == "none" else a.compression,
    )


def consumer(a):
    c = KafkaConsumer(
        bootstrap_servers=a.brokers.split(","),
        client_id="bench-kafka-python",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    parts = [TopicPartition(a.topic, p) for p in range(a.partitions)]
    c.assign(parts)
    c.seek_to_beginning(*parts)
    return c


def produce(a):
    payloads = [b"\0" * a.size]
    if a.payloads:
        with open(a.payloads, "rb") as f:
            payloads = [line for line in f.read().split(b"\n") if line]
    start = time.monotonic()
    p = producer(a)
    errors = []
    n = len(payloads)
    for i in range(a.records):
        fut = p.send(a.topic, payloads[i % n])
        if i % 1000 == 0:
            fut.add_errback(errors.append)
    p.flush(timeout=duration_s(a.timeout))
    elapsed = time.monotonic() - start
    p.close()
    if errors:
        raise RuntimeError(errors[0])
    full, rem = divmod(a.records, n)
    total = full * sum(map(len, payloads)) + sum(map(len, payloads[:rem]))
    return {"records": a.records, "bytes": total, "seconds": elapsed}


def consume(a):
    start = time.monotonic()
    deadline = start + duration_s(a.timeout)
    c = consumer(a)
    n = b = 0
    while n < a.records:
        if time.monotonic() > deadline:
            raise RuntimeError("%d of %d records after the timeout" % (n, a.records))
        for recs in c.poll(timeout_ms=500).values():
            n += len(recs)
            b += sum(len(r.value) for r in recs)
    elapsed = time.monotonic() - start
    c.close()
    return {"records": n, "bytes": b, "seconds": elapsed}


def e2e(a):
    size = max(a.size, 8)
    c = consumer(a)
    p = producer(a)
    lat = []
    got = [0, 0]
    done = threading.Event()
    deadline = time.monotonic() + duration_s(a.timeout)

    def read():
        while got[0] < a.records and time.monotonic() < deadline:
            for recs in c.poll(timeout_ms=100).values():
                now = time.time_ns()
                for r in recs:
                    got[0] += 1
                    got[1] += len(r.value)
                    if got[0] > a.warmup:
                        lat.append(now - struct.unpack_from(">q", r.value)[0])
        done.set()

    t = threading.Thread(target=read, daemon=True)
    t.start()
    filler = bytes(ord("a") + j % 26 for j in range(8, size))
    start = time.monotonic()
    interval = 1.0 / max(a.rate, 1)
    for i in range(a.records):
        d = start + i * interval - time.monotonic()
        if d > 0:
            time.sleep(d)
        p.send(a.topic, struct.pack(">q", time.time_ns()) + filler)
    p.flush()
    done.wait(max(deadline - time.monotonic(), 0))
    elapsed = time.monotonic() - start
    if got[0] < a.records:
        raise RuntimeError("%d of %d records after the timeout" % (got[0], a.records))
    p.close()
    c.close()
    lat.sort()

    def pct(q):
        return lat[int(q * (len(lat) - 1))] / 1e6 if lat else 0.0

    return {"records": got[0], "bytes": got[1], "seconds": elapsed,
            "p50_ms": pct(0.5), "p99_ms": pct(0.99), "p999_ms": pct(0.999)}


def main():
    a = parse_args()
    run = {"produce": produce, "consume": consume, "e2e": e2e}.get(a.mode)
    if run is None:
        sys.exit("unknown -mode " + a.mode)
    print(json.dumps(run(a)))


if __name__ == "__main__":
    main()
