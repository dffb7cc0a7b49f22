package io.capstan.app;

import io.capstan.app.bench.BenchCommand;
import io.capstan.app.cli.ChannelCommand;
import io.capstan.app.cli.DemoCommand;
import io.capstan.app.cli.RecordCommand;
import io.capstan.app.cli.ServeCommand;
import io.capstan.app.cli.SettingsCommand;
import io.capstan.app.cli.StatusCommand;
import io.capstan.app.cli.TopicsCommand;
import io.capstan.runtime.net.AddressPolicy;
import io.capstan.schemas.serde.AvroTrust;
import io.capstan.app.tools.ConvertCommand;
import io.capstan.app.tools.MergeCommand;
import io.capstan.app.tools.MixAudioCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code capstan} command: run services, the demo, and talk to a running deployment. */
@Command(name = "capstan", mixinStandardHelpOptions = true, version = "capstan 0.1.0",
    description = "Self-hosted cloud recording: services connected by Apache Kafka.",
    subcommands = {DemoCommand.class, ServeCommand.class, ChannelCommand.class, RecordCommand.class, StatusCommand.class, SettingsCommand.class,
        TopicsCommand.class, BenchCommand.class, ConvertCommand.class, MergeCommand.class, MixAudioCommand.class})
public final class Capstan implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    AvroTrust.install();
    AddressPolicy.pinDnsCache();
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Capstan());
    // One line that says what is wrong, not a stack trace.
    cli.setExecutionExceptionHandler((e, command, parse) -> {
      command.getErr().println("capstan " + command.getCommandName() + ": " + Errors.describe(e));
      return 1;
    });
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
