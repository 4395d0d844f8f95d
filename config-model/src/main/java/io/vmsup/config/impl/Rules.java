package io.vmsup.config.impl;

import java.util.regex.Pattern;

/** Format rules of names, ids and addresses (documented in docs/vm-spec.md). */
final class Rules {

  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._,+-]{0,62}");
  static final String NAME_RULE = "must be 1-63 characters from A-Z a-z 0-9 . _ , + - and start with a letter or digit";
  static final Pattern ID = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,26}");
  static final String ID_RULE = "must be 1-27 characters from A-Z a-z 0-9 _ - starting with a letter,"
      + " and not start with \"vmsup-\"";
  static final Pattern UUID = Pattern.compile(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");
  static final Pattern MACHINE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  static final Pattern CPU_MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  static final Pattern PCI_ADDRESS = Pattern.compile("[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[01][0-9a-fA-F]\\.[0-7]");
  static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
  static final Pattern PROPERTY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");
  static final Pattern PORT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  static final Pattern INCOMING = Pattern.compile("defer|(tcp|unix|rdma):\\S+|file:/[^\\x00-\\x1f]*");

  private Rules() {
  }

  static boolean isId(String s) {
    return ID.matcher(s).matches() && !s.startsWith("vmsup-");
  }

  /** A unicast MAC: the group bit of the first octet must be clear. */
  static boolean isUnicastMac(String s) {
    return MAC.matcher(s).matches() && (Integer.parseInt(s.substring(0, 2), 16) & 1) == 0
        && !s.equals("00:00:00:00:00:00");
  }

  static boolean isAbsolutePath(String s) {
    return s.startsWith("/");
  }
}
