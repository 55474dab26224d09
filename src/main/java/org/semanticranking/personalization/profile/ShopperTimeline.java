package org.semanticranking.personalization.profile;

import org.semanticranking.personalization.ProductSignals;
import org.semanticranking.personalization.events.InteractionEvent;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * One shopper's events replayed in time order, a moment at a time (the events of one impression, or a single event
 * outside any), with the profile and the session as they were just before each moment: what both trainings need so
 * that no example sees its own clicks or anything after it. The profile folds every event ({@link ProfileAccumulator},
 * as the build does); the session keeps the vectors of the latest {@code sessionSize} events that are not exposures,
 * as the rescorers' session does.
 */
public final class ShopperTimeline {

    /** What a replay does at each moment, before the moment's events are folded in. */
    @FunctionalInterface
    public interface Moment {
        /**
         * @param impressionId the moment's impression, or {@code null} for an event outside any
         * @param profile      the profile of the events before the moment
         * @param session      the vectors of the latest events before it, oldest first
         */
        void at(List<InteractionEvent> events, String impressionId, ProfileAccumulator profile, Deque<float[]> session);
    }

    private ShopperTimeline() {}

    /**
     * @param events   one user's events, oldest first
     * @param products each event's product ({@code null}: unknown)
     */
    public static void replay(
            List<InteractionEvent> events,
            ProfileAccumulator profile,
            int sessionSize,
            Function<String, ProductSignals> products,
            Moment moment) {
        Deque<float[]> session = new ArrayDeque<>();
        int i = 0;
        while (i < events.size()) {
            int j = i + 1;
            String impression = events.get(i).impressionId();
            if (impression != null) {
                while (j < events.size() && impression.equals(events.get(j).impressionId())) {
                    j++;
                }
            }
            List<InteractionEvent> at = events.subList(i, j);
            moment.at(at, impression, profile, session);
            for (InteractionEvent e : at) {
                ProductSignals p = products.apply(e.productId());
                profile.add(e, p);
                if (e.isExposure() == false && p != null && p.vector() != null && sessionSize > 0) {
                    session.addLast(p.vector());
                    if (session.size() > sessionSize) {
                        session.removeFirst();
                    }
                }
            }
            i = j;
        }
    }
}
