package io.github.jamesmtasts.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Edits a copy of the example configuration for one James run: XML elements through the DOM (comments kept),
 * properties line by line. Every edit fails loudly when its target is not where the example puts it, so a change
 * of the example that breaks the harness shows up at once.
 */
final class ConfFiles {
    private ConfFiles() {
    }

    /** Sets the text of the first element at the slash-separated {@code path} below the root, e.g. "smtpserver/bind". */
    static void setXmlText(Path file, String path, String value) {
        Document document = parse(file);
        Element element = document.getDocumentElement();
        for (String name : path.split("/")) {
            element = firstChild(element, name, file, path);
        }
        element.setTextContent(value);
        write(document, file);
    }

    /** Sets an attribute of the first element at {@code path} below the root. */
    static void setXmlAttribute(Path file, String path, String attribute, String value) {
        Document document = parse(file);
        Element element = document.getDocumentElement();
        for (String name : path.split("/")) {
            element = firstChild(element, name, file, path);
        }
        element.setAttribute(attribute, value);
        write(document, file);
    }

    /** Replaces the children {@code <listName><itemName>..</itemName></listName>} of the root (created if absent). */
    static void setXmlList(Path file, String listName, String itemName, List<String> values) {
        Document document = parse(file);
        Element root = document.getDocumentElement();
        for (Element old : children(root, listName)) {
            root.removeChild(old);
        }
        Element list = document.createElement(listName);
        for (String value : values) {
            Element item = document.createElement(itemName);
            item.setTextContent(value);
            list.appendChild(item);
        }
        root.appendChild(list);
        write(document, file);
    }

    /** Changes the class of every mailet of class {@code from} to {@code to}; fails when there is none. */
    static void replaceMailetClass(Path mailetContainer, String from, String to) {
        Document document = parse(mailetContainer);
        List<Element> mailets = mailets(document, from, mailetContainer);
        mailets.forEach(mailet -> mailet.setAttribute("class", to));
        write(document, mailetContainer);
    }

    /** Sets (or adds) the init parameter {@code name} of every mailet of class {@code mailetClass}. */
    static void setMailetParameter(Path mailetContainer, String mailetClass, String name, String value) {
        Document document = parse(mailetContainer);
        for (Element mailet : mailets(document, mailetClass, mailetContainer)) {
            List<Element> existing = children(mailet, name);
            Element parameter = existing.isEmpty() ? (Element) mailet.appendChild(document.createElement(name)) : existing.get(0);
            parameter.setTextContent(value);
        }
        write(document, mailetContainer);
    }

    /** Sets {@code key=value} in a properties file, replacing an active or commented-out line, else appending. */
    static void setProperty(Path file, String key, String value) {
        try {
            List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : new ArrayList<>();
            List<String> result = new ArrayList<>();
            boolean done = false;
            for (String line : lines) {
                String bare = line.trim().startsWith("#") ? line.trim().substring(1).trim() : line.trim();
                if (!done && (bare.startsWith(key + "=") || bare.startsWith(key + " ="))) {
                    result.add(key + "=" + value);
                    done = true;
                } else {
                    result.add(line);
                }
            }
            if (!done) {
                result.add(key + "=" + value);
            }
            Files.write(file, result, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot edit " + file, e);
        }
    }

    private static List<Element> mailets(Document document, String mailetClass, Path file) {
        List<Element> found = new ArrayList<>();
        NodeList all = document.getElementsByTagName("mailet");
        for (int i = 0; i < all.getLength(); i++) {
            Element mailet = (Element) all.item(i);
            if (mailetClass.equals(mailet.getAttribute("class"))) {
                found.add(mailet);
            }
        }
        if (found.isEmpty()) {
            throw new IllegalStateException(file + " has no mailet of class " + mailetClass);
        }
        return found;
    }

    private static Element firstChild(Element parent, String name, Path file, String path) {
        List<Element> matching = children(parent, name);
        if (matching.isEmpty()) {
            throw new IllegalStateException(file + " has no element " + path + " (missing <" + name + ">)");
        }
        return matching.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> matching = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element && child.getNodeName().equals(name)) {
                matching.add((Element) child);
            }
        }
        return matching;
    }

    private static Document parse(Path file) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(file.toFile());
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("cannot parse " + file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void write(Document document, Path file) {
        try {
            Transformer transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            transformer.transform(new DOMSource(document), new StreamResult(file.toFile()));
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
    }
}
