package dev.senders.application;

import java.util.List;

/** One page of a list, 1-based, with the total count. */
public record PageOf<T>(List<T> items, int page, int size, long total) {
}
