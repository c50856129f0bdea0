package dev.partview.cli;

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
    PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, cs), true);
    PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, cs), true);
    int code = Cli.forArgs(args, out, err).execute(args);
    out.flush();
    err.flush();
    System.exit(code);
  }
}
