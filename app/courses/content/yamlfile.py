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


class LineDict(dict):
    """A YAML mapping that remembers its line and the line of each of its keys."""

    line: int = 1
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings are LineDicts (1-based lines, plus an offset)."""

    line_offset = 0


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    mapping = LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1 + loader.line_offset
    mapping.key_lines = {
        str(key.value): key.start_mark.line + 1 + loader.line_offset for key, _ in node.value
    }
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse_yaml_with_lines(text: str):
    """Parse ``text``; every mapping in the result is a LineDict. Raises YamlProblem."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        raise YamlProblem(f"invalid YAML: {problem}", mark.line + 1 if mark else 1) from None
