"""YAML with line numbers, so that every problem can say where it is."""

from dataclasses import dataclass

import yaml


@dataclass
class YamlDocument:
    """Parsed YAML data plus the line of each top-level key (1-based, in the file)."""

    data: object
    key_lines: dict[str, int]
    first_line: int
    item_lines: dict[str, list[int]]  # lines of the items of top-level lists

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.first_line)

    def line_of_item(self, key: str, index: int) -> int:
        lines = self.item_lines.get(key, [])
        return lines[index] if index < len(lines) else self.line_of(key)

    def mapping(self) -> dict:
        return self.data if isinstance(self.data, dict) else {}


class YamlProblem(Exception):
    """The text is not valid YAML; ``line`` is 1-based in the file."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def parse_yaml(text: str, line_offset: int = 0) -> YamlDocument:
    """Parse ``text`` (which starts ``line_offset`` lines into its file)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = (mark.line + 1 if mark else 1) + line_offset
        problem = getattr(error, "problem", None) or str(error)
        raise YamlProblem(f"invalid YAML: {problem}", line) from None
    key_lines, item_lines = {}, {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            key_lines[key] = key_node.start_mark.line + 1 + line_offset
            if isinstance(value_node, yaml.SequenceNode):
                item_lines[key] = [n.start_mark.line + 1 + line_offset for n in value_node.value]
    return YamlDocument(data, key_lines, line_offset + 1, item_lines)
