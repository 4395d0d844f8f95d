package io.vmsup.config;

import java.util.List;

/**
 * A guest NUMA node: {@code -numa node,nodeid=N,cpus=A-B,memdev=M}.
 *
 * @param nodeId node number, 0..127, unique
 * @param cpus   vCPU indexes of this node (rendered as ranges)
 * @param memdev id of a {@code memory-backend} device holding this node's RAM
 */
public record NumaNode(int nodeId, List<Integer> cpus, String memdev) {
  public NumaNode {
    cpus = List.copyOf(cpus);
  }
}
