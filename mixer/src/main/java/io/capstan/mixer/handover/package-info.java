/**
 * Handing a job's composite output from one mixer to the next without losing or repeating a frame:
 * each transaction commits the job's input offset only back to the oldest record the output still
 * needs ({@link io.capstan.mixer.handover.InputHold}) and names, in the offset's metadata, where the
 * committed output ends ({@link io.capstan.mixer.handover.HandoverNote}).
 */
package io.capstan.mixer.handover;
