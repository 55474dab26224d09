package org.semanticranking.personalization.context;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.semanticranking.personalization.model.PersonalizationModel;
import org.semanticranking.personalization.profile.UserProfile;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Everything the rescorer needs to know about the shopper, fetched once on the coordinating node during
 * rewrite: the profile, the session vector of the latest events and those events' products' vectors, the trained
 * model, and notes for the response when something is missing (no profile, no events): those give personalization 0,
 * not an error.
 *
 * @param recent the vectors of the products of the latest events (the session), each once; empty when none
 */
public record ShopperContext(
        UserProfile profile,
        float[] sessionVector,
        List<float[]> recent,
        PersonalizationModel model,
        List<String> notes)
        implements Writeable {

    public ShopperContext {
        recent = List.copyOf(recent);
        notes = List.copyOf(notes);
    }

    /** A shopper without the session's vectors one by one. */
    public ShopperContext(UserProfile profile, float[] sessionVector, PersonalizationModel model, List<String> notes) {
        this(profile, sessionVector, List.of(), model, notes);
    }

    public ShopperContext(StreamInput in) throws IOException {
        this(
                in.readOptionalWriteable(UserProfile::new),
                in.readBoolean() ? in.readFloatArray() : null,
                in.readCollectionAsList(StreamInput::readFloatArray),
                in.readOptionalWriteable(PersonalizationModel::new),
                in.readStringCollectionAsList());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeOptionalWriteable(profile);
        out.writeBoolean(sessionVector != null);
        if (sessionVector != null) {
            out.writeFloatArray(sessionVector);
        }
        out.writeCollection(recent, StreamOutput::writeFloatArray);
        out.writeOptionalWriteable(model);
        out.writeStringCollection(notes);
    }

    /** Whether anything about this shopper is known: otherwise personalization is 0 for every hit. */
    public boolean knowsShopper() {
        return profile != null || sessionVector != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShopperContext other
                && Objects.equals(profile, other.profile)
                && Arrays.equals(sessionVector, other.sessionVector)
                && Arrays.deepEquals(recent.toArray(), other.recent.toArray())
                && Objects.equals(model, other.model)
                && notes.equals(other.notes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                profile, Arrays.hashCode(sessionVector), Arrays.deepHashCode(recent.toArray()), model, notes);
    }
}
