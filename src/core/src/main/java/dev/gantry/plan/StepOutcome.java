package dev.gantry.plan;

import java.util.Map;

/**
 * What planning one instruction produced, before its cache key is computed.
 *
 * @param text the instruction as progress output shows it
 * @param canonical the instruction after expansion, as it enters the cache key
 * @param action what executing it means for the filesystem
 * @param createdBy the history text
 */
record StepOutcome(String text, Map<String, Object> canonical, StepAction action, String createdBy) {}
