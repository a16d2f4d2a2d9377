//===----------------------------------------------------------------------===//
//
// This source file is part of the Swift Argument Parser open source project
//
// Copyright (c) 2025 Apple Inc. and the Swift project authors
// Licensed under Apache License v2.0 with Runtime Library Exception
//
// See https://swift.org/LICENSE.txt for license information
//
//===----------------------------------------------------------------------===//

// wsauth's vendored copy: the upstream file imports FoundationEssentials for
// LocalizedError and JSONEncoder. This version needs neither, so that a tool
// built on ArgumentParser links no Foundation (see ../../../../README.md).

extension Error {
  /// Upstream prefers `LocalizedError.errorDescription`; without Foundation
  /// there is no LocalizedError, and an error's description is what
  /// FoundationEssentials' branch of upstream printed for every other error.
  func describe() -> String {
    String(describing: self)
  }
}

/// Encodes the `--experimental-dump-help` tool info as Foundation's
/// `JSONEncoder` did with `[.prettyPrinted, .sortedKeys]`: two-space indent,
/// `"key" : value`, keys in UTF-8 byte order, `/` escaped as `\/`.
enum JSONEncoder {
  static func encode<T: Encodable>(_ value: T) -> String {
    let encoder = TreeEncoder(codingPath: [])
    guard (try? value.encode(to: encoder)) != nil else { return "" }
    var output = ""
    TreeEncoder.write(encoder.node, indent: 0, to: &output)
    return output
  }
}

/// A JSON value under construction. Containers are references because
/// `Encoder` hands out containers that keep writing after they are returned.
private enum JSONNode {
  case literal(String)
  case string(String)
  case array(JSONArray)
  case object(JSONObject)
  case nested(TreeEncoder)
}

private final class JSONArray {
  var items: [JSONNode] = []
}

private final class JSONObject {
  var members: [String: JSONNode] = [:]
}

private final class TreeEncoder: Encoder {
  let codingPath: [any CodingKey]
  let userInfo: [CodingUserInfoKey: Any] = [:]
  var value: JSONNode?

  init(codingPath: [any CodingKey]) {
    self.codingPath = codingPath
  }

  /// An encoder that encoded nothing is an empty object, as in Foundation.
  var node: JSONNode { value ?? .object(JSONObject()) }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    let object: JSONObject
    if case .object(let existing)? = value {
      object = existing
    } else {
      object = JSONObject()
      value = .object(object)
    }
    return KeyedEncodingContainer(KeyedContainer<Key>(object: object, codingPath: codingPath))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    let array: JSONArray
    if case .array(let existing)? = value {
      array = existing
    } else {
      array = JSONArray()
      value = .array(array)
    }
    return UnkeyedContainer(array: array, codingPath: codingPath)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer {
    SingleValueContainer(encoder: self)
  }

  static func node<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws -> JSONNode {
    switch value {
    case let string as String: return .string(string)
    case let bool as Bool: return .literal(bool ? "true" : "false")
    default:
      let encoder = TreeEncoder(codingPath: codingPath)
      try value.encode(to: encoder)
      return .nested(encoder)
    }
  }

  static func number<N: LosslessStringConvertible>(_ value: N) -> JSONNode {
    let text = value.description
    // Foundation writes an integral floating-point value without ".0".
    return .literal(text.hasSuffix(".0") ? String(text.dropLast(2)) : text)
  }

  static func write(_ node: JSONNode, indent: Int, to output: inout String) {
    switch node {
    case .literal(let text):
      output += text
    case .string(let text):
      writeString(text, to: &output)
    case .nested(let encoder):
      write(encoder.node, indent: indent, to: &output)
    case .array(let array):
      output += "[\n"
      for (index, item) in array.items.enumerated() {
        if index > 0 { output += ",\n" }
        output += String(repeating: " ", count: indent + 2)
        write(item, indent: indent + 2, to: &output)
      }
      output += "\n" + String(repeating: " ", count: indent) + "]"
    case .object(let object):
      output += "{\n"
      let members = object.members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
      for (index, member) in members.enumerated() {
        if index > 0 { output += ",\n" }
        output += String(repeating: " ", count: indent + 2)
        writeString(member.key, to: &output)
        output += " : "
        write(member.value, indent: indent + 2, to: &output)
      }
      output += "\n" + String(repeating: " ", count: indent) + "}"
    }
  }

  /// RFC 8259 §7 escapes, plus `\/` as Foundation writes it by default.
  static func writeString(_ text: String, to output: inout String) {
    output += "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "/": output += "\\/"
      case "\u{08}": output += "\\b"
      case "\u{0C}": output += "\\f"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      case "\u{00}"..."\u{1F}":
        let hex = String(scalar.value, radix: 16)
        output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: output.unicodeScalars.append(scalar)
      }
    }
    output += "\""
  }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let object: JSONObject
  let codingPath: [any CodingKey]

  mutating func encodeNil(forKey key: Key) { object.members[key.stringValue] = .literal("null") }
  mutating func encode(_ value: Bool, forKey key: Key) {
    object.members[key.stringValue] = .literal(value ? "true" : "false")
  }
  mutating func encode(_ value: String, forKey key: Key) { object.members[key.stringValue] = .string(value) }
  mutating func encode(_ value: Double, forKey key: Key) { object.members[key.stringValue] = TreeEncoder.number(value) }
  mutating func encode(_ value: Float, forKey key: Key) { object.members[key.stringValue] = TreeEncoder.number(value) }
  mutating func encode(_ value: Int, forKey key: Key) { object.members[key.stringValue] = TreeEncoder.number(value) }
  mutating func encode(_ value: Int8, forKey key: Key) { object.members[key.stringValue] = TreeEncoder.number(value) }
  mutating func encode(_ value: Int16, forKey key: Key) { object.members[key.stringValue] = TreeEncoder.number(value) }
  mutating func encode(_ value: Int32, forKey key: Key) { object.members[key.stringValue] = TreeEncoder.number(value) }
  mutating func encode(_ value: Int64, forKey key: Key) { object.members[key.stringValue] = TreeEncoder.number(value) }
  mutating func encode(_ value: UInt, forKey key: Key) { object.members[key.stringValue] = TreeEncoder.number(value) }
  mutating func encode(_ value: UInt8, forKey key: Key) { object.members[key.stringValue] = TreeEncoder.number(value) }
  mutating func encode(_ value: UInt16, forKey key: Key) { object.members[key.stringValue] = TreeEncoder.number(value) }
  mutating func encode(_ value: UInt32, forKey key: Key) { object.members[key.stringValue] = TreeEncoder.number(value) }
  mutating func encode(_ value: UInt64, forKey key: Key) { object.members[key.stringValue] = TreeEncoder.number(value) }

  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
    object.members[key.stringValue] = try TreeEncoder.node(value, codingPath: codingPath + [key])
  }

  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy keyType: NestedKey.Type, forKey key: Key
  ) -> KeyedEncodingContainer<NestedKey> {
    nestedEncoder(forKey: key).container(keyedBy: keyType)
  }

  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    nestedEncoder(forKey: key).unkeyedContainer()
  }

  mutating func superEncoder() -> any Encoder { nestedEncoder(named: "super") }

  mutating func superEncoder(forKey key: Key) -> any Encoder { nestedEncoder(forKey: key) }

  private func nestedEncoder(forKey key: Key) -> TreeEncoder { nestedEncoder(named: key.stringValue, key) }

  private func nestedEncoder(named name: String, _ key: (any CodingKey)? = nil) -> TreeEncoder {
    let encoder = TreeEncoder(codingPath: codingPath + (key.map { [$0] } ?? []))
    object.members[name] = .nested(encoder)
    return encoder
  }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
  let array: JSONArray
  let codingPath: [any CodingKey]
  var count: Int { array.items.count }

  mutating func encodeNil() { array.items.append(.literal("null")) }
  mutating func encode(_ value: Bool) { array.items.append(.literal(value ? "true" : "false")) }
  mutating func encode(_ value: String) { array.items.append(.string(value)) }
  mutating func encode(_ value: Double) { array.items.append(TreeEncoder.number(value)) }
  mutating func encode(_ value: Float) { array.items.append(TreeEncoder.number(value)) }
  mutating func encode(_ value: Int) { array.items.append(TreeEncoder.number(value)) }
  mutating func encode(_ value: Int8) { array.items.append(TreeEncoder.number(value)) }
  mutating func encode(_ value: Int16) { array.items.append(TreeEncoder.number(value)) }
  mutating func encode(_ value: Int32) { array.items.append(TreeEncoder.number(value)) }
  mutating func encode(_ value: Int64) { array.items.append(TreeEncoder.number(value)) }
  mutating func encode(_ value: UInt) { array.items.append(TreeEncoder.number(value)) }
  mutating func encode(_ value: UInt8) { array.items.append(TreeEncoder.number(value)) }
  mutating func encode(_ value: UInt16) { array.items.append(TreeEncoder.number(value)) }
  mutating func encode(_ value: UInt32) { array.items.append(TreeEncoder.number(value)) }
  mutating func encode(_ value: UInt64) { array.items.append(TreeEncoder.number(value)) }

  mutating func encode<T: Encodable>(_ value: T) throws {
    array.items.append(try TreeEncoder.node(value, codingPath: codingPath))
  }

  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy keyType: NestedKey.Type
  ) -> KeyedEncodingContainer<NestedKey> {
    nestedEncoder().container(keyedBy: keyType)
  }

  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { nestedEncoder().unkeyedContainer() }

  mutating func superEncoder() -> any Encoder { nestedEncoder() }

  private func nestedEncoder() -> TreeEncoder {
    let encoder = TreeEncoder(codingPath: codingPath)
    array.items.append(.nested(encoder))
    return encoder
  }
}

private struct SingleValueContainer: SingleValueEncodingContainer {
  let encoder: TreeEncoder
  var codingPath: [any CodingKey] { encoder.codingPath }

  mutating func encodeNil() { encoder.value = .literal("null") }
  mutating func encode(_ value: Bool) { encoder.value = .literal(value ? "true" : "false") }
  mutating func encode(_ value: String) { encoder.value = .string(value) }
  mutating func encode(_ value: Double) { encoder.value = TreeEncoder.number(value) }
  mutating func encode(_ value: Float) { encoder.value = TreeEncoder.number(value) }
  mutating func encode(_ value: Int) { encoder.value = TreeEncoder.number(value) }
  mutating func encode(_ value: Int8) { encoder.value = TreeEncoder.number(value) }
  mutating func encode(_ value: Int16) { encoder.value = TreeEncoder.number(value) }
  mutating func encode(_ value: Int32) { encoder.value = TreeEncoder.number(value) }
  mutating func encode(_ value: Int64) { encoder.value = TreeEncoder.number(value) }
  mutating func encode(_ value: UInt) { encoder.value = TreeEncoder.number(value) }
  mutating func encode(_ value: UInt8) { encoder.value = TreeEncoder.number(value) }
  mutating func encode(_ value: UInt16) { encoder.value = TreeEncoder.number(value) }
  mutating func encode(_ value: UInt32) { encoder.value = TreeEncoder.number(value) }
  mutating func encode(_ value: UInt64) { encoder.value = TreeEncoder.number(value) }

  mutating func encode<T: Encodable>(_ value: T) throws {
    encoder.value = try TreeEncoder.node(value, codingPath: codingPath)
  }
}
