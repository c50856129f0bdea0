package dev.partview.table.bench;

import dev.partview.table.PartitionTable;
import dev.partview.table.PartitionTableReader;
import dev.partview.table.ReadOptions;
import dev.partview.table.io.ByteArraySource;
import dev.partview.testimages.DiskImageBuilder;
import dev.partview.testimages.GptPartition;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Parse time of the two worst realistic tables in a warm JVM: a GPT with all 128 entries used and
 * an MBR whose EBR chain holds 1000 logical partitions. The target is "well under 20 ms" each. Run
 * with {@code ./mvnw -B -pl mbr-gpt -am -Pbench test -DskipTests} (see mbr-gpt/README.md); it is
 * never part of the normal build.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ParseBenchmark {
  private ByteArraySource gpt128;
  private ByteArraySource ebr1000;

  @Setup
  public void images() {
    DiskImageBuilder gpt = new DiskImageBuilder().sizeBytes(64L << 20).gpt();
    for (int n = 1; n <= 128; n++) {
      gpt.gptPartition(GptPartition.of(n, 2048L * n, 2048L * n + 2047).withName("partition " + n));
    }
    gpt128 = new ByteArraySource(gpt.toBytes());
    DiskImageBuilder mbr = new DiskImageBuilder().sizeBytes(8L << 20).extended(1, 0x05, 64, 8000);
    for (int i = 0; i < 1000; i++) mbr.logical(0x83, 64 + 8L * i, 65 + 8L * i, 7);
    ebr1000 = new ByteArraySource(mbr.toBytes());
  }

  @Benchmark
  public PartitionTable gpt128Entries() throws IOException {
    return PartitionTableReader.read(gpt128, ReadOptions.defaults());
  }

  @Benchmark
  public PartitionTable ebrChain1000Logicals() throws IOException {
    return PartitionTableReader.read(ebr1000, ReadOptions.defaults());
  }

  /** JMH's command-line options (e.g. {@code -wi 1 -i 3 -rf json -rff FILE}) override the above. */
  public static void main(String[] args) throws RunnerException, CommandLineOptionException {
    new Runner(
            new OptionsBuilder()
                .parent(new CommandLineOptions(args))
                .include(ParseBenchmark.class.getSimpleName())
                .build())
        .run();
  }
}
