package io.vmsup.supervisor.client;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code vmsup image ...}: the image store of a running daemon ({@code /v1/images}). Finds the daemon and its token
 * exactly as {@code vmsup vm} does.
 */
@Command(name = "image", description = "Client of a running daemon's image store: import, list, get, delete.",
    subcommands = {ImageCli.Import.class, ImageCli.ListImages.class, ImageCli.Get.class, ImageCli.Delete.class,
        CommandLine.HelpCommand.class},
    synopsisSubcommandLabel = "COMMAND", sortOptions = false,
    footer = {"", "Every command prints the daemon's JSON reply; errors go to stderr with exit code 1."})
public final class ImageCli implements Callable<Integer> {

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  @Spec
  CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  @Option(names = "--url", paramLabel = "URL", scope = ScopeType.INHERIT,
      description = "the daemon's address (default: VMSUP_URL, then <state-dir>/endpoint.json)")
  String url;

  @Option(names = "--token", paramLabel = "TOKEN", scope = ScopeType.INHERIT,
      description = "the API token (default: VMSUP_TOKEN, then <state-dir>/token)")
  String token;

  @Option(names = "--state-dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
      description = "the daemon's state directory (default: as for 'vmsup run')")
  String stateDir;

  @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "the daemon's config file (JSON)")
  String config;

  public ImageCli(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  /** The {@code image} command tree. */
  public static CommandLine create(Map<String, String> env, PrintStream out, PrintStream err) {
    return new CommandLine(new ImageCli(env, out, err));
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(out);
    return 0;
  }

  Session connect(CommandSpec command) throws IOException {
    VmCli vm = new VmCli(env, System.in, out, err);
    vm.url = url;
    vm.token = token;
    vm.stateDir = stateDir;
    vm.config = config;
    return vm.connect(command);
  }

  /** Shared by every image command. */
  abstract static class Base implements Callable<Integer> {
    @ParentCommand
    ImageCli image;
    @Spec
    CommandSpec spec;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    Session session() throws IOException {
      return image.connect(spec);
    }
  }

  @Command(name = "import", description = {"Copy a local file into the image store (qemu-img convert).",
      "The file must lie in the daemon's path roots; an image whose header names a backing or data file is",
      "refused unless --flatten."})
  static final class Import extends Base {
    @Parameters(index = "0", paramLabel = "NAME", description = "the image's name")
    String name;
    @Parameters(index = "1", paramLabel = "PATH", description = "the absolute path of the file to import")
    String path;
    @Option(names = "--format", paramLabel = "FORMAT",
        description = "the file's format: raw, qcow2, qed, vdi, vhdx or vpc (default: probed)")
    String format;
    @Option(names = "--flatten", description = "copy a backing chain into one image (each file in the path roots)")
    boolean flatten;

    @Override
    public Integer call() throws IOException {
      Session s = session();
      JsonObject body = new JsonObject().put("name", name).put("path", path);
      if (format != null) {
        body.put("format", format);
      }
      if (flatten) {
        body.put("flatten", true);
      }
      return s.print(s.send("POST", "/v1/images", body.encode()));
    }
  }

  @Command(name = "list", description = "Every image of the store (JSON).")
  static final class ListImages extends Base {
    @Override
    public Integer call() throws IOException {
      Session s = session();
      return s.print(s.send("GET", "/v1/images", null));
    }
  }

  @Command(name = "get", description = "One image: its record, qemu-img info and the VMs whose disks it backs.")
  static final class Get extends Base {
    @Parameters(paramLabel = "NAME", description = "the image")
    String name;

    @Override
    public Integer call() throws IOException {
      Session s = session();
      return s.print(s.send("GET", "/v1/images/" + Session.encode(name), null));
    }
  }

  @Command(name = "delete", description = "Remove an image no VM's disk is backed by.")
  static final class Delete extends Base {
    @Parameters(paramLabel = "NAME", description = "the image")
    String name;

    @Override
    public Integer call() throws IOException {
      Session s = session();
      ApiClient.Response r = s.send("DELETE", "/v1/images/" + Session.encode(name), null);
      if (r.ok()) {
        s.out.println("image " + name + " deleted");
      }
      return r.ok() ? 0 : s.problem(r);
    }
  }
}
