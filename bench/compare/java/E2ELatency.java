// End-to-end latency of the Java client for the bench/compare harness: one
// producer sends records at a fixed rate, each value starting with its send
// time (Unix nanoseconds, big-endian); one consumer in the same process,
// assigned every partition from the beginning, measures receive time minus
// send time. Prints one JSON line like the Go and Python runners.
//
// Usage: E2ELatency BROKERS TOPIC PARTITIONS RECORDS SIZE RATE WARMUP [producer.prop=value ...]

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

public class E2ELatency {
    static long nowNanos() {
        Instant t = Instant.now();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    public static void main(String[] args) throws Exception {
        String brokers = args[0];
        String topic = args[1];
        int partitions = Integer.parseInt(args[2]);
        int records = Integer.parseInt(args[3]);
        int size = Math.max(Integer.parseInt(args[4]), 8);
        int rate = Integer.parseInt(args[5]);
        int warmup = Integer.parseInt(args[6]);

        Properties pp = new Properties();
        for (int i = 7; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            pp.put(kv[0], kv[1]);
        }
        pp.put("key.serializer", ByteArraySerializer.class.getName());
        pp.put("value.serializer", ByteArraySerializer.class.getName());

        Properties cp = new Properties();
        cp.put("bootstrap.servers", brokers);
        cp.put("client.id", "bench-java");
        cp.put("enable.auto.commit", "false");
        cp.put("key.deserializer", ByteArrayDeserializer.class.getName());
        cp.put("value.deserializer", ByteArrayDeserializer.class.getName());

        long[] lat = new long[records];
        int[] kept = {0};
        long[] got = {0, 0};
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Exception> failure = new AtomicReference<>();

        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cp);
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) tps.add(new TopicPartition(topic, p));
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        Thread reader = new Thread(() -> {
            try {
                while (got[0] < records) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        long now = nowNanos();
                        got[0]++;
                        got[1] += r.value().length;
                        if (got[0] > warmup) lat[kept[0]++] = now - ByteBuffer.wrap(r.value()).getLong();
                    }
                }
            } catch (Exception e) {
                failure.set(e);
            } finally {
                done.countDown();
            }
        });
        reader.setDaemon(true);
        reader.start();

        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp);
        long start = System.nanoTime();
        long interval = 1_000_000_000L / Math.max(rate, 1);
        for (int i = 0; i < records; i++) {
            long wait = start + i * interval - System.nanoTime();
            if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
            byte[] v = new byte[size];
            for (int j = 8; j < size; j++) v[j] = (byte) ('a' + j % 26);
            ByteBuffer.wrap(v).putLong(nowNanos());
            producer.send(new ProducerRecord<>(topic, v), (md, e) -> { if (e != null) failure.compareAndSet(null, e); });
        }
        producer.flush();
        if (!done.await(120, TimeUnit.SECONDS)) throw new RuntimeException(got[0] + " of " + records + " records after the timeout");
        if (failure.get() != null) throw failure.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        producer.close();
        consumer.close();

        long[] s = Arrays.copyOf(lat, kept[0]);
        Arrays.sort(s);
        System.out.printf("{\"records\":%d,\"bytes\":%d,\"seconds\":%.6f,\"p50_ms\":%.4f,\"p99_ms\":%.4f,\"p999_ms\":%.4f}%n",
            got[0], got[1], seconds, pct(s, 0.5), pct(s, 0.99), pct(s, 0.999));
    }

    static double pct(long[] sorted, double q) {
        if (sorted.length == 0) return 0;
        return sorted[(int) (q * (sorted.length - 1))] / 1e6;
    }
}
