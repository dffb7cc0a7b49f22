/**
 * The backup store: where a job's files go while its primary store has failed for longer than
 * {@code uploader.backup.after}, and the copier that moves them to the primary once it answers
 * again (oldest first, so the primary sees the job's files in their original order; the job keeps
 * writing to the backup until nothing is owed). Copies are deleted from the backup once the primary
 * acknowledged them, so a restarted uploader finds exactly what is still owed by listing the backup.
 * Events: Backuped (32) when a job that used the backup ends, Uploaded (31) once all its files reached
 * the primary.
 */
package io.capstan.uploader.backup;
