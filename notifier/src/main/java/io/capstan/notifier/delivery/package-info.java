/**
 * Webhook delivery of capstan.notices.
 *
 * <p>Shape: {@link io.capstan.notifier.delivery.WebhookDispatcher} (one consumer thread) fans each
 * notice out to one {@link io.capstan.notifier.delivery.SubscriberQueue} per receiver; a queue
 * keeps one lane per job and sends a lane's notices one at a time, so a receiver sees each job in
 * sequence order. Receivers never share threads, and a lane waiting to retry holds none.
 *
 * <p>Guarantees: at least once per (receiver, notice), duplicates with the same noticeId; a
 * consumer offset is committed only below the first notice some receiver has not finished
 * (delivered, or written to capstan.notices.dlq). Retryable failures (5xx, 408, 429, timeout,
 * connection or DNS failure) back off exponentially up to {@code notifier.retry.max}; any other
 * answer is dead-lettered at once. Private destinations are refused unless allowed.
 */
package io.capstan.notifier.delivery;
