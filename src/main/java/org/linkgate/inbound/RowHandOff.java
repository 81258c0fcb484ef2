package org.linkgate.inbound;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.MDC;

/**
 * Uses both cores for one file: a reader thread pulls the earlier stages of a {@link RowSource}
 * (decrypt, parse, validate, derive, hash) and hands rows in blocks, through a bounded queue, to
 * the calling thread, which does the last stage (seal and stage). Memory is at most {@value #DEPTH}
 * blocks of {@value #BLOCK} rows whatever the file's size. Everything the earlier stages record
 * (counts, problems) is written by the reader thread only and is visible to the caller once
 * {@link #drain} returns; a failure on either side stops both and is rethrown to the caller.
 */
public final class RowHandOff implements AutoCloseable {

    static final int BLOCK = 256;
    static final int DEPTH = 8;
    private static final Object END = new Object();
    private final ExecutorService readers;

    public RowHandOff(String name) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, name + "-reader-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        this.readers = Executors.newCachedThreadPool(factory);
    }

    /** Gives every row of {@code source}, in order, to {@code sink} on the calling thread. */
    public <T> void drain(RowSource<T> source, Consumer<? super T> sink) {
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(DEPTH);
        Map<String, String> logContext = MDC.getCopyOfContextMap();
        Future<?> reader = readers.submit(() -> {
            if (logContext != null) {
                MDC.setContextMap(logContext);
            }
            try {
                List<T> block = new ArrayList<>(BLOCK);
                T row;
                while ((row = source.next()) != null) {
                    block.add(row);
                    if (block.size() == BLOCK) {
                        queue.put(block);
                        block = new ArrayList<>(BLOCK);
                    }
                }
                if (!block.isEmpty()) {
                    queue.put(block);
                }
                queue.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                // The caller sees the failure when it takes this from the queue.
                putQuietly(queue, new Failure(e));
            } finally {
                MDC.clear();
            }
            return null;
        });
        try {
            while (true) {
                Object next = queue.take();
                if (next == END) {
                    break;
                }
                if (next instanceof Failure failure) {
                    throw failure.rethrow();
                }
                @SuppressWarnings("unchecked")
                List<T> block = (List<T>) next;
                block.forEach(sink);
            }
            reader.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while staging rows", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("row reader failed", e.getCause());
        } finally {
            // On a failure of the sink the reader must not go on reading the file.
            reader.cancel(true);
        }
    }

    private static void putQuietly(BlockingQueue<Object> queue, Object item) {
        try {
            queue.put(item);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private record Failure(Throwable error) {
        RuntimeException rethrow() {
            if (error instanceof Error e) {
                throw e;
            }
            return (RuntimeException) error;
        }
    }

    @Override
    public void close() {
        readers.shutdownNow();
    }
}
