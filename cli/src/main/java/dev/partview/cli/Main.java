package dev.partview.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/** Entry point of the runnable jar. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // picocli registers converters for java.sql and java.time types, and initializing those
    // classes (java.time's formatters above all) took ~10 ms of every start. No option has such a
    // type (CliTest checks).
    System.setProperty("picocli.converters.excludes", Cli.UNUSED_CONVERTERS);
    Charset cs = Charset.defaultCharset();
    // Not System.out: a PrintStream swallows write errors, and `list >/dev/full` would exit 0.
    Stdout stdout = new Stdout();
    PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, cs), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, cs), true);
    int code = Cli.forArgs(args, out, err).execute(args);
    out.flush();
    code = Cli.afterStdout(stdout.failure, code, err);
    err.flush();
    // A signal's exit under way (SIGTERM as a mount was being stopped, say): its hooks may be done
    // and its halt with 128+N not yet made, and then System.exit(code) would halt first, with our
    // code. The JVM's own exit ends this process in a moment; leave the status to it.
    if (exitUnderWay()) parkUntilHalted();
    System.exit(code);
  }

  /** Whether the JVM has begun its shutdown: it takes no new hooks then. */
  private static boolean exitUnderWay() {
    Thread probe = new Thread(() -> {});
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }

  private static void parkUntilHalted() {
    while (true) {
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        // the halt ends this thread
      }
    }
  }

  /** File descriptor 1, remembering the first write error (PrintWriter only keeps a flag). */
  private static final class Stdout extends FilterOutputStream {
    IOException failure;

    Stdout() {
      super(new FileOutputStream(FileDescriptor.out));
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        if (failure == null) failure = e;
        throw e;
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (IOException e) {
        if (failure == null) failure = e;
        throw e;
      }
    }
  }
}
