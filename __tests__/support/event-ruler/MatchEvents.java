import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import software.amazon.event.ruler.Machine;

/**
 * Matches events against EventBridge patterns with event-ruler, the library
 * EventBridge itself matches with. Reads {"patterns": {name: pattern}, "events":
 * {name: event}} on stdin; prints {eventName: [names of matching patterns]}.
 *
 *   java -cp "<event-ruler jars>/*" MatchEvents.java < input.json
 */
public class MatchEvents {
  public static void main(String[] args) throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode input = json.readTree(System.in);
    Machine machine = new Machine();
    for (Iterator<Map.Entry<String, JsonNode>> it = input.get("patterns").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> pattern = it.next();
      machine.addRule(pattern.getKey(), json.writeValueAsString(pattern.getValue()));
    }
    ObjectNode matches = json.createObjectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = input.get("events").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> event = it.next();
      List<String> names = new ArrayList<>(machine.rulesForJSONEvent(json.writeValueAsString(event.getValue())));
      Collections.sort(names);
      matches.set(event.getKey(), json.valueToTree(names));
    }
    System.out.println(json.writeValueAsString(matches));
  }
}
