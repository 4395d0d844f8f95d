package io.vmsup.client;

import java.util.List;

/**
 * The reply of render: a VM's exact QEMU argv.
 *
 * @param name the VM
 * @param state its state
 * @param source {@code process} (the running QEMU's command line) or {@code render} (what the next start runs)
 * @param pid QEMU's pid for {@code process}, else null
 * @param argv the arguments, one element each
 * @param addedOverQmp arguments the spec gained over QMP (hot-plug) since the process started
 * @param removedOverQmp arguments the spec lost over QMP since
 */
public record Argv(String name, VmState state, String source, Long pid, List<String> argv,
                   List<String> addedOverQmp, List<String> removedOverQmp) {

  public Argv {
    argv = List.copyOf(argv);
    addedOverQmp = List.copyOf(addedOverQmp);
    removedOverQmp = List.copyOf(removedOverQmp);
  }
}
