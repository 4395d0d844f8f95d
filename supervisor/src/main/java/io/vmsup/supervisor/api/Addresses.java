package io.vmsup.supervisor.api;

/**
 * Event-bus addresses of the supervisor (placeholder of the contract until the supervisor core lands).
 */
public final class Addresses {

  public static final String VM_CREATE = "vmsup.vm.create";
  public static final String VM_START = "vmsup.vm.start";
  public static final String VM_STOP = "vmsup.vm.stop";
  public static final String VM_KILL = "vmsup.vm.kill";
  public static final String VM_PAUSE = "vmsup.vm.pause";
  public static final String VM_RESUME = "vmsup.vm.resume";
  public static final String VM_RESET = "vmsup.vm.reset";
  public static final String VM_DELETE = "vmsup.vm.delete";
  public static final String VM_GET = "vmsup.vm.get";
  public static final String VM_LIST = "vmsup.vm.list";
  public static final String VM_QMP = "vmsup.vm.qmp";
  public static final String EVENTS = "vmsup.events";

  private Addresses() {
  }

  public static String events(String vm) {
    return EVENTS + "." + vm;
  }
}
