package org.semanticranking.personalization.profile;

/**
 * The profiles index: one document per user, its {@code _id} the user id, its source a {@link UserProfile}.
 * The vector and the affinities are kept in the source only ({@code enabled: false}): a float array of 384
 * values would otherwise be mapped dynamically as a {@code dense_vector}, which Elasticsearch 9 leaves out
 * of {@code _source}, and nothing searches them.
 */
public final class ProfilesIndex {

    public static final String MAPPING = """
        {"dynamic":false,"properties":{
          "user_id":{"type":"keyword"},"events":{"type":"long"},"weight":{"type":"double"},
          "last_event":{"type":"date","format":"epoch_millis"},"built_at":{"type":"date","format":"epoch_millis"},
          "built_until":{"type":"date","format":"epoch_millis"},
          "vector":{"type":"object","enabled":false},"affinities":{"type":"object","enabled":false},
          "price":{"type":"object","enabled":false},"price_taste":{"type":"object","enabled":false}}}""";

    private ProfilesIndex() {}
}
