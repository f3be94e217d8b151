package dev.lossbench.workers.report;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * A rendered report parsed as XML, to query with XPath. Parsing fails on any markup that is not
 * well-formed, which is itself one of the things the tests check.
 */
final class ReportDocument {
  private final Document document;
  private final XPath xpath = XPathFactory.newInstance().newXPath();

  private ReportDocument(Document document) {
    this.document = document;
  }

  static ReportDocument parse(String html) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      factory.setExpandEntityReferences(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      return new ReportDocument(builder.parse(new InputSource(new StringReader(html))));
    } catch (ParserConfigurationException | IOException e) {
      throw new IllegalStateException(e);
    } catch (SAXException e) {
      throw new AssertionError("the report is not well-formed XML: " + e.getMessage(), e);
    }
  }

  List<Element> all(String expression) {
    return all(document, expression);
  }

  List<Element> all(Element context, String expression) {
    return all((Object) context, expression);
  }

  private List<Element> all(Object context, String expression) {
    try {
      NodeList nodes = (NodeList) xpath.evaluate(expression, context, XPathConstants.NODESET);
      List<Element> elements = new ArrayList<>();
      for (int i = 0; i < nodes.getLength(); i++) {
        elements.add((Element) nodes.item(i));
      }
      return elements;
    } catch (XPathExpressionException e) {
      throw new IllegalArgumentException(expression, e);
    }
  }

  /** The one element {@code expression} selects; fails when it selects none or several. */
  Element one(String expression) {
    List<Element> found = all(expression);
    if (found.size() != 1) {
      throw new AssertionError(expression + " selects " + found.size() + " elements, expected 1");
    }
    return found.get(0);
  }

  /** The text content of each element {@code expression} selects, trimmed. */
  List<String> texts(String expression) {
    return all(expression).stream().map(e -> e.getTextContent().strip()).toList();
  }
}
