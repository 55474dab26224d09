package org.semanticranking.rest;

import org.elasticsearch.common.xcontent.XContentHelper;
import org.elasticsearch.rest.RestRequest;

import java.io.IOException;
import java.util.Map;

/** The JSON body of a request as a map; a 400 when there is none. */
final class RestBodies {

    private RestBodies() {}

    static Map<String, Object> required(RestRequest request) throws IOException {
        if (request.hasContentOrSourceParam() == false) {
            throw new IllegalArgumentException("request body is required");
        }
        return XContentHelper.convertToMap(request.requiredContent(), false, request.getXContentType())
                .v2();
    }
}
