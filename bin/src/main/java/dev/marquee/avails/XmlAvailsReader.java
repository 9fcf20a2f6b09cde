package dev.marquee.avails;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * EMA Avails XML (v2.x): AvailList, AvailListSigned or a single Avail. The avails and md namespaces
 * change with every version, so elements are matched by local name only. No XSD validation: only
 * what a right needs is read, and checked when it is mapped.
 */
final class XmlAvailsReader {
    private static final Set<String> ROOTS = Set.of("AvailList", "AvailListSigned", "Avail");

    private XmlAvailsReader() {}

    static List<AvailRow> read(InputStream in, String fileName) throws NotAvailsException {
        Document doc;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            doc = builder.parse(in);
        } catch (SAXException e) {
            throw new NotAvailsException(
                    fileName + " is not well-formed XML: " + e.getMessage(), e);
        } catch (IOException | ParserConfigurationException e) {
            throw new NotAvailsException("cannot read " + fileName + ": " + e.getMessage(), e);
        }
        Element root = doc.getDocumentElement();
        if (!ROOTS.contains(local(root))) {
            throw new NotAvailsException(
                    fileName
                            + " is not an EMA Avails file (root element <"
                            + local(root)
                            + ">, expected <AvailList>)");
        }
        List<Element> avails = new ArrayList<>();
        collectAvails(root, avails);
        List<AvailRow> rows = new ArrayList<>();
        int availNo = 0;
        for (Element avail : avails) {
            availNo++;
            rows.addAll(readAvail(avail, availNo));
        }
        return rows;
    }

    private static void collectAvails(Element element, List<Element> out) {
        if ("Avail".equals(local(element))) {
            out.add(element);
            return;
        }
        for (Element child : children(element)) {
            if ("AvailList".equals(local(child)) || "Avail".equals(local(child))) {
                collectAvails(child, out);
            }
        }
    }

    private static List<AvailRow> readAvail(Element avail, int availNo) {
        String alid = text(child(avail, "ALID"));
        Element disposition = child(avail, "Disposition");
        String entryType = text(child(disposition, "EntryType"));
        String issueDate = text(child(disposition, "IssueDate"));
        if (issueDate == null && !avail.getAttribute("timestamp").isBlank()) {
            issueDate = avail.getAttribute("timestamp");
        }
        Element licensor = child(avail, "Licensor");
        String licensorName = text(child(licensor, "DisplayName"));
        List<String> ids = contentIdCandidates(child(avail, "Asset"));

        List<AvailRow> rows = new ArrayList<>();
        int transactionNo = 0;
        for (Element tx : children(avail, "Transaction")) {
            transactionNo++;
            AvailRow row = new AvailRow();
            String txId = tx.getAttribute("TransactionID");
            row.transactionId = txId.isBlank() ? null : txId.trim();
            row.location =
                    "avail "
                            + (alid == null ? "#" + availNo : alid)
                            + " transaction "
                            + (row.transactionId == null ? "#" + transactionNo : row.transactionId);
            row.alid = alid;
            row.entryType = entryType;
            row.issueDate = issueDate;
            row.licensor = licensorName;
            row.contentIdCandidates.addAll(ids);
            row.licenseType = text(child(tx, "LicenseType"));
            for (Element territory : children(tx, "Territory")) {
                row.territories.add(regionCode(territory));
            }
            for (Element territory : children(tx, "TerritoryExcluded")) {
                row.excludedTerritories.add(regionCode(territory));
            }
            row.start = text(child(tx, "Start"));
            Element startCondition = child(tx, "StartCondition");
            if (startCondition != null) {
                row.startCondition = text(startCondition);
                row.startLag = attribute(startCondition, "lag");
            }
            row.end = text(child(tx, "End"));
            Element endCondition = child(tx, "EndCondition");
            if (endCondition != null) {
                row.endCondition = text(endCondition);
                row.endLag = attribute(endCondition, "lag");
            }
            row.windowDuration = text(child(tx, "WindowDuration"));
            Element format = child(tx, "FormatProfile");
            row.formatProfile = text(format);
            row.hdr = attribute(format, "HDR");
            for (Element term : children(tx, "Term")) {
                String name = term.getAttribute("termName").trim();
                if ("Exclusive".equalsIgnoreCase(name)) {
                    row.exclusive = termValue(term);
                } else if ("ExclusiveAttributes".equalsIgnoreCase(name)) {
                    row.exclusiveAttributes = termValue(term);
                }
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * Identifiers of the avail's (first) asset, most preferred first: the title EIDR, other
     * EIDR-URNs (season, series), the edit EIDR, content ids, then the asset's contentID.
     */
    private static List<String> contentIdCandidates(Element asset) {
        List<String> ids = new ArrayList<>();
        if (asset == null) {
            return ids;
        }
        Element metadata = null;
        for (Element child : children(asset)) {
            if (local(child).endsWith("Metadata")) {
                metadata = child;
                break;
            }
        }
        if (metadata != null) {
            addText(ids, child(metadata, "TitleEIDR-URN"));
            for (Element child : children(metadata)) {
                String name = local(child);
                if (name.endsWith("EIDR-URN")
                        && !name.equals("TitleEIDR-URN")
                        && !name.equals("EditEIDR-URN")) {
                    addText(ids, child);
                }
            }
            addText(ids, child(metadata, "EditEIDR-URN"));
            for (Element child : children(metadata)) {
                if (local(child).endsWith("ContentID")) {
                    addText(ids, child);
                }
            }
        }
        String contentId = asset.getAttribute("contentID");
        if (!contentId.isBlank()) {
            ids.add(contentId.trim());
        }
        return ids;
    }

    private static void addText(List<String> ids, Element element) {
        String value = text(element);
        if (value != null) {
            ids.add(value);
        }
    }

    /** md:Region-type: country (kept as written) or countryRegion (marked, not supported). */
    private static String regionCode(Element region) {
        Element country = child(region, "country");
        if (country != null) {
            return text(country) == null ? "" : text(country);
        }
        Element countryRegion = child(region, "countryRegion");
        if (countryRegion != null) {
            return "region:" + (text(countryRegion) == null ? "" : text(countryRegion));
        }
        String own = text(region);
        return own == null ? "" : own;
    }

    /** A Term's value: the text of its first child element (Boolean, Text, Event...). */
    private static String termValue(Element term) {
        List<Element> values = children(term);
        return values.isEmpty() ? text(term) : text(values.get(0));
    }

    static String local(Node node) {
        String name = node.getLocalName();
        return name != null ? name : node.getNodeName().replaceFirst("^.*:", "");
    }

    private static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        if (parent == null) {
            return out;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> out = new ArrayList<>();
        for (Element e : children(parent)) {
            if (localName.equals(local(e))) {
                out.add(e);
            }
        }
        return out;
    }

    private static Element child(Element parent, String localName) {
        for (Element e : children(parent)) {
            if (localName.equals(local(e))) {
                return e;
            }
        }
        return null;
    }

    /** Trimmed text with inner whitespace runs collapsed; null when absent or blank. */
    private static String text(Element element) {
        if (element == null) {
            return null;
        }
        String value = element.getTextContent().trim().replaceAll("\\s+", " ");
        return value.isEmpty() ? null : value;
    }

    private static String attribute(Element element, String name) {
        if (element == null || !element.hasAttribute(name)) {
            return null;
        }
        String value = element.getAttribute(name).trim();
        return value.isEmpty() ? null : value;
    }
}
