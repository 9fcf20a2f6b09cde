package dev.marquee.metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marquee.io.AvroJson;
import dev.marquee.schema.AssetRef;
import dev.marquee.schema.FeedRecord;
import dev.marquee.schema.Identifier;
import dev.marquee.schema.LocalizedTitle;
import dev.marquee.schema.Provenance;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * A vendor feed file read into feed records: JSON lines (one FeedRecord per line as plain JSON,
 * identifiers may be written as plain strings in any spelling) or MovieLabs MEC XML v2.x (one
 * record per {@code Basic}: ContentID, LocalizedInfo titles, ReleaseYear, RunLength, AltIdentifier,
 * ArtReference). Every record gets its provenance (feed, file, ingest time, transform version) and
 * the normalization of {@link FeedRecords}; every bad one comes back with where it was and why.
 */
public final class FeedFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FeedFile() {}

    /** One record of the file: good (record set) or bad (problem set), and where it was. */
    public record Entry(String where, String key, FeedRecord record, String problem, String raw) {
        public boolean ok() {
            return problem == null;
        }
    }

    /** Ingest context: the feed's name (null: the vendor), a vendor to assume, the ingest time. */
    public record Context(String sourceFeed, String vendor, Instant ingestedAt) {}

    /** Thrown when the file as a whole cannot be read as a feed. */
    public static final class NotAFeedException extends Exception {
        NotAFeedException(String message) {
            super(message);
        }
    }

    public static List<Entry> read(Path file, Context context) throws NotAFeedException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new NotAFeedException("cannot read " + file + ": " + e.getMessage());
        }
        return read(file.getFileName().toString(), bytes, context);
    }

    /** The same for a file already in memory (a classpath resource, an upload). */
    public static List<Entry> read(String name, byte[] bytes, Context context)
            throws NotAFeedException {
        String text = new String(bytes, StandardCharsets.UTF_8).stripLeading();
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1).stripLeading();
        }
        if (text.startsWith("<")) {
            return readMec(new java.io.ByteArrayInputStream(bytes), name, context);
        }
        if (text.startsWith("{")) {
            return readJsonLines(text, name, context);
        }
        throw new NotAFeedException(
                name + " is neither JSON lines nor MEC XML (it starts with neither '{' nor '<')");
    }

    // ------------------------------------------------------------------ JSON lines

    static List<Entry> readJsonLines(String text, String name, Context context) {
        List<Entry> entries = new ArrayList<>();
        String[] lines = text.split("\\r?\\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            String where = name + " line " + (i + 1);
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                entries.add(
                        bad(where, null, "not valid JSON (" + e.getOriginalMessage() + ")", line));
                continue;
            }
            if (!(node instanceof ObjectNode object)) {
                entries.add(bad(where, null, "expected a JSON object per line", line));
                continue;
            }
            String vendor =
                    object.hasNonNull("vendor") ? object.get("vendor").asText() : context.vendor();
            if (vendor != null && !object.hasNonNull("vendor")) {
                object.put("vendor", vendor);
            }
            String key = vendor + ":" + object.path("vendorRecordId").asText("");
            if (object.get("identifiers") instanceof ArrayNode ids) {
                for (int j = 0; j < ids.size(); j++) {
                    if (ids.get(j).isTextual()) {
                        Identifier id = Identifiers.parse(ids.get(j).asText(), vendor);
                        ids.set(
                                j,
                                JSON.createObjectNode()
                                        .put("scheme", id.getScheme())
                                        .put("value", id.getValue())
                                        .put("valid", id.getValid()));
                    }
                }
            }
            if (!object.hasNonNull("provenance")) {
                object.set("provenance", provenance(context, vendor, name));
            }
            try {
                FeedRecord record =
                        AvroJson.toSpecific(
                                AvroJson.fromJson(object, FeedRecord.getClassSchema()),
                                FeedRecord.class);
                entries.add(normalized(where, record, line));
            } catch (AvroJson.MismatchException e) {
                entries.add(bad(where, key, "does not fit FeedRecord: " + e.getMessage(), line));
            }
        }
        return entries;
    }

    private static ObjectNode provenance(Context context, String vendor, String file) {
        return JSON.createObjectNode()
                .put(
                        "sourceFeed",
                        context.sourceFeed() != null
                                ? context.sourceFeed()
                                : String.valueOf(vendor))
                .put("file", file)
                .put("ingestedAt", context.ingestedAt().toString())
                .put("transformVersion", FeedRecords.TRANSFORM_VERSION);
    }

    private static Entry normalized(String where, FeedRecord record, String raw) {
        FeedRecords.Result result = FeedRecords.normalize(record);
        String key = record.getVendor() + ":" + record.getVendorRecordId();
        if (!result.ok()) {
            return bad(where, key, String.join("; ", result.problems()), raw);
        }
        return new Entry(where, FeedRecords.key(result.record()), result.record(), null, raw);
    }

    private static Entry bad(String where, String key, String problem, String raw) {
        return new Entry(where, key, null, problem, raw);
    }

    // ------------------------------------------------------------------ MEC XML

    static List<Entry> readMec(InputStream in, String name, Context context)
            throws NotAFeedException {
        Document doc;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            var builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            doc = builder.parse(in);
        } catch (SAXException e) {
            throw new NotAFeedException(name + " is not well-formed XML: " + e.getMessage());
        } catch (IOException | ParserConfigurationException e) {
            throw new NotAFeedException("cannot read " + name + ": " + e.getMessage());
        }
        var basics = doc.getElementsByTagNameNS("*", "Basic");
        if (basics.getLength() == 0) {
            throw new NotAFeedException(
                    name
                            + " is not MovieLabs MEC (no <Basic> metadata under <CoreMetadata>; root is <"
                            + doc.getDocumentElement().getLocalName()
                            + ">)");
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < basics.getLength(); i++) {
            Element basic = (Element) basics.item(i);
            String contentId = basic.getAttribute("ContentID").strip();
            String where =
                    name
                            + " Basic #"
                            + (i + 1)
                            + (contentId.isEmpty() ? "" : " (ContentID " + contentId + ")");
            String vendor = context.vendor() != null ? context.vendor() : mecVendor(basic);
            try {
                entries.add(
                        normalized(
                                where, mecRecord(basic, contentId, vendor, name, context), null));
            } catch (IllegalArgumentException e) {
                entries.add(bad(where, vendor + ":" + contentId, e.getMessage(), null));
            }
        }
        return entries;
    }

    private static FeedRecord mecRecord(
            Element basic, String contentId, String vendor, String file, Context context) {
        if (contentId.isEmpty()) {
            throw new IllegalArgumentException("Basic has no ContentID attribute");
        }
        List<Identifier> ids = new ArrayList<>();
        ids.add(Identifiers.parse(contentId, vendor));
        for (Element alt : children(basic, "AltIdentifier")) {
            String namespace = text(first(alt, "Namespace"));
            String value = text(first(alt, "Identifier"));
            if (value != null) {
                ids.add(Identifiers.canonical(namespace, value, vendor));
            }
        }
        List<LocalizedTitle> titles = new ArrayList<>();
        List<AssetRef> assets = new ArrayList<>();
        for (Element info : children(basic, "LocalizedInfo")) {
            String language = info.getAttribute("language");
            String display = text(first(info, "TitleDisplayUnlimited"));
            if (display == null) {
                display = text(first(info, "TitleDisplay60"));
            }
            if (display == null) {
                display = text(first(info, "TitleDisplay19"));
            }
            if (display != null) {
                titles.add(title(language, display, "display"));
            }
            String sort = text(first(info, "TitleSort"));
            if (sort != null) {
                titles.add(title(language, sort, "sort"));
            }
            for (Element art : children(info, "ArtReference")) {
                String ref = text(art);
                if (ref != null) {
                    assets.add(
                            AssetRef.newBuilder()
                                    .setAssetId(ref)
                                    .setKind("artwork")
                                    .setLanguage(language.isBlank() ? null : language)
                                    .build());
                }
            }
        }
        if (titles.isEmpty()) {
            throw new IllegalArgumentException(
                    "no title: none of its LocalizedInfo has TitleDisplayUnlimited, TitleDisplay60"
                            + " or TitleDisplay19");
        }
        String originalTitle = text(first(basic, "OriginalTitle"));
        String originalLanguage = text(first(basic, "OriginalLanguage"));
        if (originalTitle != null && originalLanguage != null) {
            titles.add(title(originalLanguage, originalTitle, "original"));
        }
        Integer year = null;
        String yearText = text(first(basic, "ReleaseYear"));
        if (yearText != null) {
            try {
                year = Integer.parseInt(yearText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "ReleaseYear '" + yearText + "' is not a year (xs:gYear, e.g. 1984)");
            }
        }
        Integer runtime = null;
        String runLength = text(first(basic, "RunLength"));
        if (runLength != null) {
            try {
                runtime = (int) Math.round(Duration.parse(runLength).toSeconds() / 60.0);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "RunLength '" + runLength + "' is not an xs:duration like PT1H45M");
            }
        }
        List<String> flags = new ArrayList<>();
        String workType = text(first(basic, "WorkType"));
        if (workType != null && !"Movie".equalsIgnoreCase(workType)) {
            flags.add("work-type:" + workType);
        }
        return FeedRecord.newBuilder()
                .setVendor(vendor)
                .setVendorRecordId(contentId)
                .setIdentifiers(ids)
                .setTitles(titles)
                .setReleaseYear(year)
                .setRuntimeMinutes(runtime)
                .setAssets(assets)
                .setFlags(flags)
                .setProvenance(
                        Provenance.newBuilder()
                                .setSourceFeed(
                                        context.sourceFeed() != null
                                                ? context.sourceFeed()
                                                : vendor)
                                .setFile(file)
                                .setIngestedAt(context.ingestedAt())
                                .setTransformVersion(FeedRecords.TRANSFORM_VERSION)
                                .build())
                .build();
    }

    /** The MEC's publisher (Source) or licensor, which namespaces its ids; "mec" when neither. */
    private static String mecVendor(Element basic) {
        Node core = basic.getParentNode();
        if (core instanceof Element coreElement) {
            Element source = first(coreElement, "Source");
            if (source != null && !source.getAttribute("organizationID").isBlank()) {
                return source.getAttribute("organizationID");
            }
        }
        for (Element org : children(basic, "AssociatedOrg")) {
            if ("licensor".equalsIgnoreCase(org.getAttribute("role"))
                    && !org.getAttribute("organizationID").isBlank()) {
                return org.getAttribute("organizationID");
            }
        }
        return "mec";
    }

    private static LocalizedTitle title(String locale, String text, String kind) {
        return LocalizedTitle.newBuilder().setLocale(locale).setText(text).setKind(kind).build();
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    private static Element first(Element parent, String localName) {
        if (parent == null) {
            return null;
        }
        List<Element> all = children(parent, localName);
        return all.isEmpty() ? null : all.get(0);
    }

    private static String text(Element e) {
        if (e == null) {
            return null;
        }
        // Surrounding whitespace is XML layout, not part of a value; inner text stays as written.
        String t = e.getTextContent();
        return t == null || t.isBlank() ? null : t.strip();
    }
}
