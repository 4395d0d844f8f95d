package io.vmsup.qmp;

/**
 * One job of {@code query-jobs} (QEMU's generic jobs: {@code snapshot-save}, {@code snapshot-load},
 * {@code snapshot-delete}, block jobs).
 *
 * @param id the job's id, as given when it was started
 * @param type the job type ({@code snapshot-save}...)
 * @param status the job's status as sent ({@code created}, {@code running}, {@code concluded}, {@code null}...)
 * @param currentProgress progress so far, in units of {@code totalProgress}
 * @param totalProgress the estimated total
 * @param error the error text of a job that concluded with one, or {@code null}
 */
public record JobInfo(String id, String type, String status, long currentProgress, long totalProgress,
                      String error) {

  /** True once the job has ended ({@code concluded}, or {@code null} after a dismiss). */
  public boolean ended() {
    return "concluded".equals(status) || "null".equals(status);
  }
}
