package org.semanticranking.ranking.shard;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.TermToBytesRefAttribute;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.BytesRef;
import org.elasticsearch.index.fielddata.IndexFieldData;
import org.elasticsearch.index.fielddata.IndexNumericFieldData;
import org.elasticsearch.index.fielddata.SortedNumericDoubleValues;
import org.elasticsearch.index.mapper.MappedFieldType;
import org.elasticsearch.index.mapper.vectors.DenseVectorFieldMapper;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.semanticranking.ranking.feature.BoundFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The {@link FeatureReader} of each kind of {@link BoundFeature}, made on the shard from its mappings. */
final class FeatureReaders {

    private FeatureReaders() {}

    static FeatureReader of(BoundFeature feature, SearchExecutionContext context) throws IOException {
        return switch (feature) {
            case BoundFeature.QueryScore q -> new QueryScoreReader(q.query().toQuery(context));
            case BoundFeature.VectorCosine v -> vector(v.name(), v.field(), List.of(v.vector()), context);
            case BoundFeature.MaxCosine m -> vector(m.name(), m.field(), m.vectors(), context);
            case BoundFeature.FieldValue f -> field(f, context);
            case BoundFeature.FirstPass fp -> new FirstPassReader(fp);
            case BoundFeature.TermMatch t -> terms(t, context);
            case BoundFeature.Constant c -> new ConstantReader(c.value());
            case BoundFeature.TopScore t -> new TopScoreReader(t);
            case BoundFeature.IntentMatch i -> new IntentReader(i);
            case BoundFeature.AffinityShares a -> ShopperReaders.affinity(a);
            case BoundFeature.PriceFit p -> ShopperReaders.priceFit(p, context);
            case BoundFeature.PriceLift p -> ShopperReaders.priceLift(p, context);
            case BoundFeature.PricePosition p -> ShopperReaders.pricePosition(p, context);
            case BoundFeature.ProductValues p -> new ProductValueReader(p);
            case BoundFeature.WindowRelative w ->
                throw new IllegalStateException("[" + w.name() + "] is computed from the window's other features");
        };
    }

    /** The query's score; 0 where it does not match. */
    static final class QueryScoreReader implements FeatureReader {
        private final Query query;
        private Weight weight;
        private Scorer scorer;
        private DocIdSetIterator it;

        QueryScoreReader(Query query) {
            this.query = query;
        }

        @Override
        public void prepare(IndexSearcher searcher, Window window) throws IOException {
            weight = searcher.createWeight(searcher.rewrite(query), ScoreMode.COMPLETE, 1f);
        }

        @Override
        public void setSegment(LeafReaderContext segment) throws IOException {
            ScorerSupplier supplier = weight.scorerSupplier(segment);
            scorer = supplier == null ? null : supplier.get(Long.MAX_VALUE);
            it = scorer == null ? null : scorer.iterator();
        }

        @Override
        public double value(int doc, int index) throws IOException {
            if (it == null) {
                return 0;
            }
            int at = it.docID() >= doc ? it.docID() : it.advance(doc);
            return at == doc ? scorer.score() : 0;
        }
    }

    private static FeatureReader vector(
            String name, String field, List<float[]> vectors, SearchExecutionContext context) {
        MappedFieldType type = context.getFieldType(field);
        if (type != null && type instanceof DenseVectorFieldMapper.DenseVectorFieldType == false) {
            throw new IllegalArgumentException("[learned_rank] feature [" + name + "]: [" + field + "] is a ["
                    + type.typeName() + "] field, not a [dense_vector]");
        }
        return new VectorReader(field, vectors);
    }

    private static FeatureReader field(BoundFeature.FieldValue f, SearchExecutionContext context) {
        return new FieldReader(f, numeric(f.name(), f.field(), "[field] features read numeric fields", context));
    }

    /**
     * The numeric doc values a feature reads, or {@code null} when the field is not mapped in this index (every hit is
     * missing it); a field of another type is a 400 naming the feature, {@code why} saying what it needs.
     */
    static IndexNumericFieldData numeric(String feature, String field, String why, SearchExecutionContext context) {
        MappedFieldType type = context.getFieldType(field);
        if (type == null) {
            return null;
        }
        IndexFieldData<?> data = context.getForField(type, MappedFieldType.FielddataOperation.SEARCH);
        if (data instanceof IndexNumericFieldData numeric) {
            return numeric;
        }
        throw new IllegalArgumentException("[learned_rank] feature [" + feature + "]: [" + field + "] is a ["
                + type.typeName() + "] field; " + why);
    }

    /** The field's lowest value (or {@code missing}) through the modifier; a value it cannot take is a 400. */
    static final class FieldReader implements FeatureReader {
        private final BoundFeature.FieldValue feature;
        private final IndexNumericFieldData data;
        private SortedNumericDoubleValues values;

        FieldReader(BoundFeature.FieldValue feature, IndexNumericFieldData data) {
            this.feature = feature;
            this.data = data;
        }

        @Override
        public void setSegment(LeafReaderContext segment) {
            values = data == null ? null : data.load(segment).getDoubleValues();
        }

        @Override
        public double value(int doc, int index) throws IOException {
            double raw = values != null && values.advanceExact(doc) ? values.nextValue() : feature.missing();
            double v = feature.modifier().apply(raw);
            if (Double.isFinite(v) == false) {
                throw new IllegalArgumentException(
                        "[learned_rank] feature [" + feature.name() + "]: [" + feature.field()
                                + "] value [" + raw + "] gives [" + v + "] with modifier ["
                                + feature.modifier().value()
                                + "]; choose another modifier or [missing]");
            }
            return v;
        }
    }

    /** What the first stage said: the window's first-pass score, or a hybrid side's score or rank. */
    static final class FirstPassReader implements FeatureReader {
        private final BoundFeature.FirstPass feature;
        private Window window;
        private int docBase;

        FirstPassReader(BoundFeature.FirstPass feature) {
            this.feature = feature;
        }

        @Override
        public void prepare(IndexSearcher searcher, Window window) {
            this.window = window;
        }

        @Override
        public void setSegment(LeafReaderContext segment) {
            docBase = segment.docBase;
        }

        @Override
        public double value(int doc, int index) {
            FirstStage stage = window.firstStage();
            int top = docBase + doc;
            int absent = (stage.isHybrid() ? stage.windowSize() : window.docs().length) + 1;
            return switch (feature.measure()) {
                case SCORE -> window.firstPass()[index];
                case LEXICAL_SCORE -> stage.lexicalScore(top);
                case SEMANTIC_SCORE -> stage.semanticScore(top);
                case LEXICAL_RANK -> stage.isHybrid() ? stage.lexicalRank(top) : absent;
                case SEMANTIC_RANK -> stage.isHybrid() ? stage.semanticRank(top) : absent;
            };
        }
    }

    private static FeatureReader terms(BoundFeature.TermMatch t, SearchExecutionContext context) {
        MappedFieldType type = context.getFieldType(t.field());
        if (type == null) {
            return new TermsReader(t, List.of());
        }
        Analyzer analyzer = type.getTextSearchInfo().searchAnalyzer();
        if (analyzer == null) {
            throw new IllegalArgumentException("[learned_rank] feature [" + t.name() + "]: [" + t.field() + "] is a ["
                    + type.typeName() + "] field, which is not searched by terms");
        }
        Set<BytesRef> terms = new LinkedHashSet<>();
        try (TokenStream ts = analyzer.tokenStream(t.field(), t.text())) {
            TermToBytesRefAttribute term = ts.addAttribute(TermToBytesRefAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                terms.add(BytesRef.deepCopyOf(term.getBytesRef()));
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TermsReader(t, new ArrayList<>(terms));
    }

    /** How many of the text's terms the hit's field has, by their postings. */
    static final class TermsReader implements FeatureReader {
        private final BoundFeature.TermMatch feature;
        private final List<BytesRef> terms;
        private final boolean[] hasDigit;
        private final int digitTerms;
        private final PostingsEnum[] postings;

        TermsReader(BoundFeature.TermMatch feature, List<BytesRef> terms) {
            this.feature = feature;
            this.terms = terms;
            this.hasDigit = new boolean[terms.size()];
            int digits = 0;
            for (int i = 0; i < terms.size(); i++) {
                hasDigit[i] = terms.get(i).utf8ToString().chars().anyMatch(Character::isDigit);
                digits += hasDigit[i] ? 1 : 0;
            }
            this.digitTerms = digits;
            this.postings = new PostingsEnum[terms.size()];
        }

        @Override
        public void setSegment(LeafReaderContext segment) throws IOException {
            Terms fieldTerms = segment.reader().terms(feature.field());
            TermsEnum te = fieldTerms == null ? null : fieldTerms.iterator();
            for (int i = 0; i < terms.size(); i++) {
                postings[i] = te != null && te.seekExact(terms.get(i)) ? te.postings(null, PostingsEnum.NONE) : null;
            }
        }

        @Override
        public double value(int doc, int index) throws IOException {
            int found = 0, foundDigits = 0;
            for (int i = 0; i < postings.length; i++) {
                PostingsEnum p = postings[i];
                if (p != null && (p.docID() >= doc ? p.docID() : p.advance(doc)) == doc) {
                    found++;
                    foundDigits += hasDigit[i] ? 1 : 0;
                }
            }
            int n = terms.size();
            return switch (feature.measure()) {
                case SHARE -> n == 0 ? 0 : (double) found / n;
                case ALL -> n > 0 && found == n ? 1 : 0;
                case COUNT -> found;
                case NUMBERS -> digitTerms == 0 ? 0 : (double) foundDigits / digitTerms;
            };
        }
    }

    record ConstantReader(double constant) implements FeatureReader {
        @Override
        public void setSegment(LeafReaderContext segment) {}

        @Override
        public double value(int doc, int index) {
            return constant;
        }
    }

    /** A side's best score over the fused list, or the best first-pass score. */
    static final class TopScoreReader implements FeatureReader {
        private final BoundFeature.TopScore feature;
        private double value;

        TopScoreReader(BoundFeature.TopScore feature) {
            this.feature = feature;
        }

        @Override
        public void prepare(IndexSearcher searcher, Window window) {
            FirstStage stage = window.firstStage();
            value = switch (feature.measure()) {
                case LEXICAL_TOP_SCORE -> stage.lexicalTop();
                case SEMANTIC_TOP_SCORE -> stage.semanticTop();
                case FIRST_PASS_TOP_SCORE -> stage.isHybrid() ? stage.fusedTop() : window.bestFirstPass();
                default -> throw new IllegalStateException(feature.measure().toString());
            };
        }

        @Override
        public void setSegment(LeafReaderContext segment) {}

        @Override
        public double value(int doc, int index) {
            return value;
        }
    }

    /** 1 when the hit has a value the text names, -1 when the text names values it has none of, 0 when it names none. */
    static final class IntentReader implements FeatureReader {
        private final BoundFeature.IntentMatch feature;
        private final List<BytesRef> named;
        private SortedSetDocValues values;
        private long[] ords;

        IntentReader(BoundFeature.IntentMatch feature) {
            this.feature = feature;
            this.named = feature.named().stream().map(BytesRef::new).toList();
        }

        @Override
        public void setSegment(LeafReaderContext segment) throws IOException {
            if (named.isEmpty()) {
                return;
            }
            values = segment.reader().getSortedSetDocValues(feature.field());
            if (values != null) {
                ords = new long[named.size()];
                for (int i = 0; i < named.size(); i++) {
                    ords[i] = values.lookupTerm(named.get(i));
                }
            }
        }

        @Override
        public double value(int doc, int index) throws IOException {
            if (named.isEmpty()) {
                return 0;
            }
            if (values == null || values.advanceExact(doc) == false) {
                return -1;
            }
            for (int i = 0; i < values.docValueCount(); i++) {
                long ord = values.nextOrd();
                for (long wanted : ords) {
                    if (wanted >= 0 && wanted == ord) {
                        return 1;
                    }
                }
            }
            return -1;
        }
    }
}
