package dev.partview.cli;

import dev.partview.fuse.loop.LoopSysfs;
import dev.partview.fuse.sys.Sys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Child process for {@link AttachDetachIT}: {@code GatedCli GO IMAGE ARGS...} loads the CLI (a
 * {@code list IMAGE} run, the libc binding, sysfs), prints {@code ready}, waits until the file GO
 * exists, then runs {@code partview ARGS...} as {@link Main} does. JVM start-up varies by far more
 * than an attach takes; this lines several attaches up within a millisecond or so of each other.
 */
public final class GatedCli {
  private GatedCli() {}

  public static void main(String[] args) throws Exception {
    Path go = Path.of(args[0]);
    String image = args[1];
    String[] command = Arrays.copyOfRange(args, 2, args.length);
    PrintWriter sink = new PrintWriter(new StringWriter());
    Cli.newCommandLine(sink, sink).execute("list", image);
    Sys.bindInBackground().join();
    LoopSysfs.system().attached();
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    out.println("ready");
    while (!Files.exists(go)) Thread.sleep(1); // not a spin: the others still start up
    int code = Cli.newCommandLine(out, err).execute(command);
    out.flush();
    err.flush();
    System.exit(code);
  }
}
