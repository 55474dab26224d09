package org.semanticranking.personalization.events;

import org.elasticsearch.cluster.metadata.ProjectId;
import org.elasticsearch.ingest.AbstractProcessor;
import org.elasticsearch.ingest.IngestDocument;
import org.elasticsearch.ingest.Processor;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * {@code interaction_event}: checks a logged interaction before it is indexed, so a bad event (unknown type,
 * missing user or product, a timestamp that is not one) is rejected with its reason instead of silently
 * skewing profiles and training. Lower-cases the type, and stamps events that come without a time with the
 * ingest time. Meant as the {@code default_pipeline} of the interactions index.
 */
public final class InteractionEventProcessor extends AbstractProcessor {

    public static final String TYPE = "interaction_event";

    InteractionEventProcessor(String tag, String description) {
        super(tag, description);
    }

    @Override
    public IngestDocument execute(IngestDocument document) {
        Map<String, Object> source = document.getSource();
        if (source.get(InteractionEvent.TYPE) instanceof String type) {
            source.put(InteractionEvent.TYPE, type.trim().toLowerCase(java.util.Locale.ROOT));
        }
        if (source.get(InteractionEvent.TIMESTAMP) == null
                && document.getIngestMetadata().get("timestamp") instanceof ZonedDateTime now) {
            source.put(InteractionEvent.TIMESTAMP, now.format(DateTimeFormatter.ISO_INSTANT));
        }
        InteractionEvent.fromSource(
                source); // throws IllegalArgumentException with the reason: a 400 for this document only
        return document;
    }

    @Override
    public String getType() {
        return TYPE;
    }

    public static final class Factory implements Processor.Factory {
        @Override
        public Processor create(
                Map<String, Processor.Factory> registry,
                String tag,
                String description,
                Map<String, Object> config,
                ProjectId projectId) {
            return new InteractionEventProcessor(tag, description);
        }
    }
}
