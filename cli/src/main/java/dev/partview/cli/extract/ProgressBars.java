package dev.partview.cli.extract;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on stderr, redrawn in place five times a second, in MiB with the speed. */
public final class ProgressBars {
  private ProgressBars() {}

  /** A bar when stderr is a terminal and not {@code quiet}; otherwise nothing is drawn. */
  public static Progress forStderr(String task, long total, boolean quiet) {
    if (quiet || !Terminals.isTerminal(Terminals.STDERR)) return Progress.NONE;
    PrintStream stderr =
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, Charset.defaultCharset());
    ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .setUnit("MiB", 1 << 20)
            .showSpeed()
            .setUpdateIntervalMillis(200)
            .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
            .setConsumer(new ConsoleProgressBarConsumer(stderr))
            .build();
    return new Progress() {
      @Override
      public void update(long bytesDone) {
        bar.stepTo(bytesDone);
      }

      @Override
      public void close() {
        bar.close();
      }
    };
  }
}
